package dev.batchmesh.bench.loadgen.result;

import dev.batchmesh.bench.loadgen.proc.ProcessUsage;
import java.util.List;
import java.util.Map;

/**
 * The JSON result of one run. {@code ingest} covers the whole measured run in fixed mode and the
 * highest sustained step in max mode ({@code null} if none held); {@code steps} lists every step of a
 * max run. {@code maxSustainedRequestsPerSecond} is only set in max mode.
 */
public record RunResult(String benchmark, String mode, String startedAt, Map<String, Object> settings, String workload,
                        IngestResult ingest, List<StepResult> steps, Double maxSustainedRequestsPerSecond,
                        Double maxSustainedRecordsPerSecond, ProbeResult endToEnd, List<LagResult> lag,
                        List<ProcessUsage> processes, List<String> notes) {
}
