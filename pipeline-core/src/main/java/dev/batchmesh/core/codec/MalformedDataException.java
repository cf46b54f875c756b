package dev.batchmesh.core.codec;

/** Bytes that do not decode: truncated, corrupt, or of a format version this build does not know. */
public class MalformedDataException extends RuntimeException {

    public MalformedDataException(String message) {
        super(message);
    }

    public MalformedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
