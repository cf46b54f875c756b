package dev.batchmesh.batcher.batching;

/**
 * The transaction holding a request failed or did not commit within the publish timeout. Its records
 * must be treated as not ingested; after a commit timeout Kafka may still have committed them, which
 * the client can only settle by retrying with the same Idempotency-Key.
 */
public final class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
