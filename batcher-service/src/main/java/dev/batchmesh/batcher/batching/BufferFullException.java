package dev.batchmesh.batcher.batching;

/** The buffer cannot take a request now; the caller answers 503 at once rather than wait. */
public final class BufferFullException extends RuntimeException {

    public BufferFullException(String message) {
        super(message, null, false, false);
    }
}
