package dev.batchmesh.bench.loadgen.search;

import java.util.List;

/** Whether one step of the search was sustained, and if not, every reason. */
public record StepVerdict(boolean sustained, List<String> reasons) {
}
