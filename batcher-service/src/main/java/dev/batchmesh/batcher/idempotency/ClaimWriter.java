package dev.batchmesh.batcher.idempotency;

import java.util.concurrent.CompletableFuture;

/** Appends a CLAIMED record to the idempotency log and tells where it landed. */
@FunctionalInterface
public interface ClaimWriter {

    /** Where a record landed in the log. */
    record Position(int partition, long offset) {
    }

    /** Completes with the record's position once the log acknowledged it; may throw at once when the log is unreachable. */
    CompletableFuture<Position> write(byte[] key, byte[] value);
}
