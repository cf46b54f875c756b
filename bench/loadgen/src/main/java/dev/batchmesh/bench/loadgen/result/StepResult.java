package dev.batchmesh.bench.loadgen.result;

import java.util.List;

/** One rate of the find-the-maximum search, what it measured and whether it held. */
public record StepResult(IngestResult ingest, List<String> growingLag, boolean sustained, List<String> reasons) {
}
