package dev.batchmesh.batcher.batching;

/**
 * A Kafka record that must become visible exactly when a request's records do: the publisher writes
 * it to {@code topic} inside the cycle's transaction. Batching does not interpret it.
 */
public record CommitMarker(String topic, byte[] key, byte[] value) {
}
