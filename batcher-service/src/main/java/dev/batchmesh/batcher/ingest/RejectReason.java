package dev.batchmesh.batcher.ingest;

/** The fixed set of reasons a request is refused, used as the bounded {@code reason} metric tag. */
public enum RejectReason {
    UNAUTHENTICATED("unauthenticated"),
    INVALID_PARAMETER("invalid_parameter"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
    TOO_LARGE("too_large"),
    MALFORMED("malformed"),
    INVALID("invalid"),
    BUFFER_FULL("buffer_full"),
    PUBLISH_FAILED("publish_failed"),
    UNAVAILABLE("unavailable"),
    IDEMPOTENCY_CONFLICT("idempotency_conflict"),
    IDEMPOTENCY_KEY_REUSED("idempotency_key_reused");

    private final String tag;

    RejectReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
