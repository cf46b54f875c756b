package dev.batchmesh.batcher.batching;

/** The batcher is starting or shutting down and takes no records. */
public final class NotAcceptingException extends RuntimeException {

    public NotAcceptingException(String message) {
        super(message, null, false, false);
    }
}
