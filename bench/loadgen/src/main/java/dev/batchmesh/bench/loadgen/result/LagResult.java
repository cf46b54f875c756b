package dev.batchmesh.bench.loadgen.result;

import dev.batchmesh.bench.loadgen.lag.LagSample;
import java.util.List;

/** A consumer group's lag over the run, the samples and whether it grew. */
public record LagResult(String group, String topic, boolean growing, double slopePerSecond, long maxLag, long finalLag,
                        List<LagSample> samples) {
}
