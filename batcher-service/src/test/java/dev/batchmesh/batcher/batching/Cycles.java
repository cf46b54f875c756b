package dev.batchmesh.batcher.batching;

import java.util.List;

/** Seals cycles for tests in other packages, which cannot reach the package-private parts of a cycle. */
public final class Cycles {

    private Cycles() {
    }

    /** One cycle holding all the given requests, on a single-partition topic. */
    public static FlushCycle of(List<IngestBatch> requests, int partitions) {
        CycleAccumulator accumulator = new CycleAccumulator(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, () -> 0L);
        accumulator.open(partitions);
        requests.forEach(accumulator::append);
        accumulator.close();
        return accumulator.pollReady();
    }
}
