package dev.batchmesh.processor.deadletter;

import dev.batchmesh.core.codec.MalformedDataException;
import dev.batchmesh.core.codec.UnsupportedFormatVersionException;
import java.nio.charset.StandardCharsets;

/** Why a micro-batch went to the dead-letter topic: a small fixed set, usable as a metric tag. */
public enum DeadLetterReason {

    /** Written in a format version this build does not know, e.g. by a newer batcher in a canary. */
    UNSUPPORTED_VERSION("unsupported-version"),
    /** Bad magic byte, truncated or otherwise corrupt bytes. */
    MALFORMED("malformed"),
    /** Decoded, but processing kept failing after every retry. */
    PROCESSING_FAILED("processing-failed");

    /** Header on every dead letter naming its reason; Spring's kafka_dlt-* headers add the details. */
    public static final String HEADER = "batchmesh-dead-letter-reason";

    private final String tag;

    DeadLetterReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    public byte[] headerValue() {
        return tag.getBytes(StandardCharsets.UTF_8);
    }

    public static DeadLetterReason of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedFormatVersionException) {
                return UNSUPPORTED_VERSION;
            }
            if (t instanceof MalformedDataException) {
                return MALFORMED;
            }
        }
        return PROCESSING_FAILED;
    }
}
