package dev.batchmesh.batcher.ingest;

/** Why the record at {@code index} (0-based, in request order) was refused. */
public record RecordError(int index, String reason) {
}
