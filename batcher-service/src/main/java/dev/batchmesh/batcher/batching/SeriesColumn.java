package dev.batchmesh.batcher.batching;

import java.util.Arrays;

/** The records of one series in one partition buffer, as growing columns in arrival order. */
public final class SeriesColumn {

    private final String key;
    private final int keyBytes;
    private long[] timestamps;
    private double[] values;
    private int size;
    private long earliestArrivalMillis = Long.MAX_VALUE;

    SeriesColumn(String key, int keyBytes, int capacity) {
        this.key = key;
        this.keyBytes = keyBytes;
        this.timestamps = new long[capacity];
        this.values = new double[capacity];
    }

    void append(long[] ts, double[] vs, long arrivalMillis) {
        int n = ts.length;
        if (size + n > timestamps.length) {
            int grown = Math.max(size + n, timestamps.length * 2);
            timestamps = Arrays.copyOf(timestamps, grown);
            values = Arrays.copyOf(values, grown);
        }
        System.arraycopy(ts, 0, timestamps, size, n);
        System.arraycopy(vs, 0, values, size, n);
        size += n;
        earliestArrivalMillis = Math.min(earliestArrivalMillis, arrivalMillis);
    }

    public String key() {
        return key;
    }

    /** Length of the key in UTF-8. */
    public int keyBytes() {
        return keyBytes;
    }

    public int size() {
        return size;
    }

    /** The first {@link #size()} entries are the series' timestamps; read-only once the cycle is sealed. */
    public long[] timestamps() {
        return timestamps;
    }

    /** The first {@link #size()} entries are the series' values; read-only once the cycle is sealed. */
    public double[] values() {
        return values;
    }

    public long earliestArrivalMillis() {
        return earliestArrivalMillis;
    }
}
