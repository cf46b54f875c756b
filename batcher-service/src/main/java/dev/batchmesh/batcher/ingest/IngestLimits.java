package dev.batchmesh.batcher.ingest;

/** The request-level limit the controller enforces before parsing; record-level limits live in {@link RecordParser}. */
public record IngestLimits(int maxBodyBytes) {
}
