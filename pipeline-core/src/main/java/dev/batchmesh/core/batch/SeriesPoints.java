package dev.batchmesh.core.batch;

import dev.batchmesh.core.series.SeriesKey;

/**
 * The records of one series inside a micro-batch, as parallel columns. The arrays are owned by
 * this value once constructed: callers hand over fresh arrays and never write to them again.
 */
public record SeriesPoints(SeriesKey series, long[] timestamps, double[] values) {

    public SeriesPoints {
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("timestamps and values differ in length: " + timestamps.length + " != " + values.length);
        }
        if (timestamps.length == 0) {
            throw new IllegalArgumentException("a series in a batch holds at least one record");
        }
    }

    public int size() {
        return values.length;
    }
}
