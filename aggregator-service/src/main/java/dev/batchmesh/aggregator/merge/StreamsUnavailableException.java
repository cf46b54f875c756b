package dev.batchmesh.aggregator.merge;

/** The window store cannot answer now (starting, restoring, rebalancing); the client should retry. */
public class StreamsUnavailableException extends RuntimeException {

    public StreamsUnavailableException(String message) {
        super(message);
    }

    public StreamsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
