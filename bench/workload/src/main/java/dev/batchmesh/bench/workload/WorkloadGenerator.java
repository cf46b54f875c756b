package dev.batchmesh.bench.workload;

import java.util.SplittableRandom;

/**
 * Produces the record sequence of a {@link WorkloadSpec}, one record at a time so a run of millions
 * never holds them all. Each record draws its key, then its value, then its jitter from one seeded
 * generator: equal specs give equal sequences. Not thread-safe; give each producer thread its own
 * generator with its own seed.
 */
public final class WorkloadGenerator {

    private final WorkloadSpec spec;
    private final SplittableRandom random;
    private final double scale;
    private final int keyDigits;
    private long index;

    public WorkloadGenerator(WorkloadSpec spec) {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed());
        this.scale = spec.valueDecimals() < 0 ? 0 : Math.pow(10, spec.valueDecimals());
        this.keyDigits = Integer.toString(Math.max(0, spec.keys().keys() - 1)).length();
    }

    public WorkloadSpec spec() {
        return spec;
    }

    /** How many records were generated so far; also the index of the next one. */
    public long generated() {
        return index;
    }

    public WorkloadRecord next() {
        int rank = spec.keys().nextRank(random);
        double value = spec.values().next(random);
        if (scale > 0) {
            value = Math.round(value * scale) / scale;
        }
        long timestamp = spec.timestamps().timestampOf(index, random);
        index++;
        return new WorkloadRecord(rank, keyName(rank), value, timestamp);
    }

    /** {@code key-} and the rank, zero-padded to the width of the largest rank so names sort by rank. */
    public String keyName(int rank) {
        String digits = Integer.toString(rank);
        StringBuilder name = new StringBuilder(4 + keyDigits).append("key-");
        for (int pad = keyDigits - digits.length(); pad > 0; pad--) {
            name.append('0');
        }
        return name.append(digits).toString();
    }
}
