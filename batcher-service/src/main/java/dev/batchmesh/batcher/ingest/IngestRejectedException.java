package dev.batchmesh.batcher.ingest;

import dev.batchmesh.core.contract.ProblemTypes;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A request refused as a whole, carrying everything its problem response needs. Thrown on the hot
 * path for bad input, so it records no stack trace: the cause is the client's body, not our code.
 */
public final class IngestRejectedException extends RuntimeException {

    private final HttpStatus status;
    private final URI type;
    private final RejectReason reason;
    private final List<RecordError> errors;
    /** Records the request held, as far as known (0 when the body was never parsed). */
    private final int records;

    public IngestRejectedException(HttpStatus status, URI type, RejectReason reason, String detail, List<RecordError> errors, int records) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.reason = reason;
        this.errors = List.copyOf(errors);
        this.records = records;
    }

    public static IngestRejectedException of(HttpStatus status, URI type, RejectReason reason, String detail) {
        return new IngestRejectedException(status, type, reason, detail, List.of(), 0);
    }

    public static IngestRejectedException malformed(String detail) {
        return of(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_BODY, RejectReason.MALFORMED, detail);
    }

    public static IngestRejectedException tooLarge(String detail) {
        return of(HttpStatus.PAYLOAD_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, RejectReason.TOO_LARGE, detail);
    }

    public static IngestRejectedException unavailable(RejectReason reason, String detail, int records) {
        return new IngestRejectedException(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, reason, detail, List.of(), records);
    }

    public HttpStatus status() {
        return status;
    }

    public URI type() {
        return type;
    }

    public RejectReason reason() {
        return reason;
    }

    public List<RecordError> errors() {
        return errors;
    }

    public int records() {
        return records;
    }
}
