package dev.batchmesh.bench.loadgen.result;

import dev.batchmesh.bench.loadgen.probe.ProbeMeasurement;

/** The end-to-end latency from a probe record's 202 to its visibility in a query. */
public record ProbeResult(String stream, long intervalMs, long pollIntervalMs, long sent, long accepted, long visible,
                          long timedOut, LatencySummary latency) {

    public static ProbeResult of(String stream, long intervalMs, long pollIntervalMs, ProbeMeasurement m) {
        return new ProbeResult(stream, intervalMs, pollIntervalMs, m.sent(), m.accepted(), m.visible(), m.timedOut(),
                LatencySummary.of(m.latency()));
    }
}
