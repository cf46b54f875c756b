package dev.batchmesh.batcher.ingest;

import dev.batchmesh.core.contract.ProblemTypes;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Every error as RFC 9457 problem details with a stable type: our own rejections, the framework's
 * (unknown route 404, wrong method 405, ...) through {@link ResponseEntityExceptionHandler}, and
 * anything unexpected as a 500 whose detail names no internals.
 */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

    /** Seconds a client should wait before retrying a 503: a flush cycle lasts milliseconds, a full buffer drains in about a second. */
    static final String RETRY_AFTER_SECONDS = "1";

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    private final IngestMetrics metrics;

    ProblemResponses(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    @ExceptionHandler(IngestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(IngestRejectedException e) {
        metrics.rejected(e.reason(), e.records());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setType(e.type());
        if (!e.errors().isEmpty()) {
            problem.setProperty("errors", e.errors());
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE || e.status() == HttpStatus.CONFLICT) {
            // 409 too: the request with the same key is in flight and ends within a publish timeout.
            response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return response.body(problem);
    }

    @ExceptionHandler(Exception.class)
    Mono<ResponseEntity<ProblemDetail>> unexpected(Exception e) {
        // logged in handle, where Reactor restores the request's trace context (propagation "limited")
        return Mono.just(e).handle((error, sink) -> {
            log.error("Unexpected error while handling a request", error);
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "an internal error occurred");
            problem.setType(ProblemTypes.INTERNAL);
            sink.next(ResponseEntity.internalServerError().body(problem));
        });
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        ProblemDetail problem = body instanceof ProblemDetail detail ? detail : ProblemDetail.forStatus(status);
        problem.setType(typeOf(status));
        HttpHeaders out = new HttpHeaders();
        if (headers != null) {
            out.putAll(headers);
        }
        if (status.value() == 503) {
            out.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        // handle: the warning is logged where Reactor restores the request's trace context
        return Mono.just(ex).handle((error, sink) -> {
            if (status.is5xxServerError()) {
                log.warn("Request failed with {}", status, error);
                problem.setDetail(status.value() == 503 ? "temporarily unavailable; retry later" : "an internal error occurred");
            }
            sink.next(ResponseEntity.status(status).headers(out).body(problem));
        });
    }

    private static URI typeOf(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> ProblemTypes.INVALID_PARAMETER;
            case 401 -> ProblemTypes.UNAUTHENTICATED;
            case 404 -> ProblemTypes.NOT_FOUND;
            case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
            case 406 -> ProblemTypes.NOT_ACCEPTABLE;
            case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ProblemTypes.RATE_LIMITED;
            case 503 -> ProblemTypes.UNAVAILABLE;
            default -> ProblemTypes.INTERNAL;
        };
    }
}
