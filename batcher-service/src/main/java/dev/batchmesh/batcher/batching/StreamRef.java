package dev.batchmesh.batcher.batching;

/** A tenant's stream: the group under which the micro-batch format stores series. */
public record StreamRef(String tenant, String stream) {
}
