package dev.batchmesh.bench.workload;

/** One generated record: {@code key} is the name of the key of {@code keyRank} (0 the most frequent). */
public record WorkloadRecord(int keyRank, String key, double value, long timestampMillis) {
}
