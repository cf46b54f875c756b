package dev.batchmesh.bench.loadgen.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When a rate counts as sustained: the 202 latency p99 stays within {@code maxP99}, at most
 * {@code maxErrorRate} of the requests fail, the requests answered keep up with the requests asked
 * for (at least {@code minCompletedShare} of the target rate), and no consumer's lag grows.
 */
public record StepCriteria(Duration maxP99, double maxErrorRate, double minCompletedShare) {

    public StepVerdict judge(double targetRequestsPerSecond, double completedRequestsPerSecond, long p99Nanos,
                             double errorRate, List<String> growingLag) {
        List<String> reasons = new ArrayList<>();
        if (p99Nanos > maxP99.toNanos()) {
            reasons.add(String.format("p99 %.1f ms > %d ms", p99Nanos / 1e6, maxP99.toMillis()));
        }
        if (errorRate > maxErrorRate) {
            reasons.add(String.format("error rate %.4f > %.4f", errorRate, maxErrorRate));
        }
        if (completedRequestsPerSecond < minCompletedShare * targetRequestsPerSecond) {
            reasons.add(String.format("completed %.1f req/s < %.0f%% of %.1f req/s", completedRequestsPerSecond,
                    minCompletedShare * 100, targetRequestsPerSecond));
        }
        for (String target : growingLag) {
            reasons.add("lag of " + target + " grows");
        }
        return new StepVerdict(reasons.isEmpty(), List.copyOf(reasons));
    }
}
