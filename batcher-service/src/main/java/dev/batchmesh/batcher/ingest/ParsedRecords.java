package dev.batchmesh.batcher.ingest;

/**
 * The valid records of one request as parallel columns, the first {@code size} entries of each array
 * in request order. Columns rather than one object per record keep the hot path free of boxing.
 * The arrays belong to this value: nobody writes to them after construction.
 */
public record ParsedRecords(int size, String[] keys, long[] timestamps, double[] values) {
}
