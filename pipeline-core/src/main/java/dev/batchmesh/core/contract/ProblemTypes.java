package dev.batchmesh.core.contract;

import java.net.URI;

/**
 * Stable RFC 9457 problem {@code type} URIs of the public API. Clients may branch on them; they
 * never change meaning. Listed with their statuses in docs/openapi.yaml.
 */
public final class ProblemTypes {

    private static final String BASE = "urn:batchmesh:problem:";

    /** 400: the body is not JSON/NDJSON of the documented shape, or records fail validation. */
    public static final URI INVALID_RECORDS = URI.create(BASE + "invalid-records");
    /** 400: the body does not parse. */
    public static final URI MALFORMED_BODY = URI.create(BASE + "malformed-body");
    /** 400: a path segment or query parameter is invalid. */
    public static final URI INVALID_PARAMETER = URI.create(BASE + "invalid-parameter");
    /** 401: missing or unknown credentials. */
    public static final URI UNAUTHENTICATED = URI.create(BASE + "unauthenticated");
    /** 404: no such route. */
    public static final URI NOT_FOUND = URI.create(BASE + "not-found");
    /** 405: method not allowed on this route. */
    public static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");
    /** 406: the client does not accept any representation we produce. */
    public static final URI NOT_ACCEPTABLE = URI.create(BASE + "not-acceptable");
    /** 409: a request with the same Idempotency-Key is still in flight; retry after the Retry-After header. */
    public static final URI IDEMPOTENCY_CONFLICT = URI.create(BASE + "idempotency-conflict");
    /** 422: the Idempotency-Key was already used for a different request (stream, body format or body). */
    public static final URI IDEMPOTENCY_KEY_REUSED = URI.create(BASE + "idempotency-key-reused");
    /** 413: the body or the number of records exceeds the limit. */
    public static final URI PAYLOAD_TOO_LARGE = URI.create(BASE + "payload-too-large");
    /** 415: content type other than application/json or application/x-ndjson (UTF-8). */
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");
    /** 429: over the rate limit. */
    public static final URI RATE_LIMITED = URI.create(BASE + "rate-limited");
    /** 503: overloaded, restoring or a dependency unavailable; retry after the Retry-After header. */
    public static final URI UNAVAILABLE = URI.create(BASE + "unavailable");
    /** 500: a failure on our side; the detail carries no internals. */
    public static final URI INTERNAL = URI.create(BASE + "internal");

    private ProblemTypes() {
    }
}
