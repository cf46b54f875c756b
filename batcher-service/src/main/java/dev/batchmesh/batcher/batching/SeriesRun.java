package dev.batchmesh.batcher.batching;

/** The records of one series within one request, in request order, already assigned to their partition. */
record SeriesRun(int partition, String key, int keyBytes, long[] timestamps, double[] values) {
}
