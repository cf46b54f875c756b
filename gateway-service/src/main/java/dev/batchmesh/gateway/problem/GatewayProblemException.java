package dev.batchmesh.gateway.problem;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A problem the gateway answers itself, raised by its filters and rendered by
 * {@link ProblemErrorHandler}. It carries no stack trace: it is an answer, not a failure.
 */
public final class GatewayProblemException extends RuntimeException {

    private final HttpStatus status;
    private final URI type;
    private final String detail;
    private final HttpHeaders headers;

    public GatewayProblemException(HttpStatus status, URI type, String detail, HttpHeaders headers) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.detail = detail;
        this.headers = HttpHeaders.copyOf(headers);
    }

    public HttpStatus status() {
        return status;
    }

    public URI type() {
        return type;
    }

    public String detail() {
        return detail;
    }

    public HttpHeaders headers() {
        return HttpHeaders.readOnlyHttpHeaders(headers);
    }
}
