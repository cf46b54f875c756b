package dev.batchmesh.batcher.batching;

import java.util.Arrays;

/** Builds requests for tests: {@code n} records of the given keys, cycling through them. */
final class Requests {

    static final long ARRIVAL = 1_795_000_000_000L;

    private Requests() {
    }

    static IngestBatch of(int n, int partitions, String... keys) {
        String[] column = new String[n];
        long[] ts = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            column[i] = keys[i % keys.length];
            ts[i] = ARRIVAL + i;
            values[i] = i;
        }
        return IngestBatch.group("tenant", "stream", n, column, ts, values, ARRIVAL, partitions);
    }

    static IngestBatch of(int n, int partitions) {
        return of(n, partitions, "key");
    }

    static String[] keys(int count) {
        String[] keys = new String[count];
        Arrays.setAll(keys, i -> "key-" + i);
        return keys;
    }
}
