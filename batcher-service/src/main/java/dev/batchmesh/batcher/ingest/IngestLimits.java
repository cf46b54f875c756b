package dev.batchmesh.batcher.ingest;

import java.time.Duration;

/**
 * The request-level limits the controller enforces; record-level limits live in {@link RecordParser}.
 * {@code bufferMaxWait} bounds how long a request waits for buffer space before its 503.
 */
public record IngestLimits(int maxBodyBytes, Duration bufferMaxWait) {
}
