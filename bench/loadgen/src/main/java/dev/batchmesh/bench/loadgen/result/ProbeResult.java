package dev.batchmesh.bench.loadgen.result;

import dev.batchmesh.bench.loadgen.probe.ProbeMeasurement;

/**
 * The end-to-end latency from a probe record's 202 to its visibility in a query, and how many probes
 * the warm-up sent and saw (not measured: they warm the query path).
 */
public record ProbeResult(String stream, long intervalMs, long pollIntervalMs, long sent, long accepted, long visible,
                          long timedOut, LatencySummary latency, long warmUpSent, long warmUpVisible) {

    /** {@code warmUp} is null when there was no warm-up. */
    public static ProbeResult of(String stream, long intervalMs, long pollIntervalMs, ProbeMeasurement m, ProbeMeasurement warmUp) {
        return new ProbeResult(stream, intervalMs, pollIntervalMs, m.sent(), m.accepted(), m.visible(), m.timedOut(),
                LatencySummary.of(m.latency()), warmUp == null ? 0 : warmUp.sent(), warmUp == null ? 0 : warmUp.visible());
    }
}
