package dev.batchmesh.bench.loadgen.result;

import dev.batchmesh.bench.loadgen.ingest.PhaseMeasurement;
import java.util.Map;

/** Ingest figures of one phase: a fixed-rate run, or one step of the search. */
public record IngestResult(double targetRequestsPerSecond, double targetRecordsPerSecond, long startEpochMillis,
                           double seconds, long requests, long accepted, long failed, double errorRate,
                           Map<Integer, Long> statuses, Map<String, Long> errors, long records,
                           double recordsPerSecond, double acceptedRequestsPerSecond, LatencySummary latency202,
                           LatencySummary sendDelay) {

    public static IngestResult of(PhaseMeasurement m, int recordsPerRequest) {
        return new IngestResult(m.targetRequestsPerSecond(), m.targetRequestsPerSecond() * recordsPerRequest,
                m.startMillis(), round(m.seconds()), m.requests(), m.accepted(), m.failed(), m.errorRate(), m.statuses(),
                m.errors(), m.records(), round(m.recordsPerSecond()), round(m.acceptedRequestsPerSecond()),
                LatencySummary.of(m.latency()), LatencySummary.of(m.sendDelay()));
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
