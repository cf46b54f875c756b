package dev.batchmesh.aggregator.query;

import dev.batchmesh.aggregator.config.AggregatorProperties;
import dev.batchmesh.aggregator.merge.StreamsUnavailableException;
import dev.batchmesh.core.contract.ProblemTypes;
import java.net.URI;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Every error as RFC 9457 problem details with a stable {@link ProblemTypes} type and a detail fit
 * for a client: never a stack trace, never a 500 for bad input or for a store that is not ready.
 */
@RestControllerAdvice
class QueryProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(QueryProblemHandler.class);

    private final long retryAfterSeconds;

    QueryProblemHandler(AggregatorProperties properties) {
        this.retryAfterSeconds = Math.max(1, (properties.query().retryAfter().toMillis() + 999) / 1000);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unauthenticated(UnauthenticatedException e) {
        return problem(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHENTICATED, "Unauthenticated", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidParameter(InvalidParameterException e) {
        ResponseEntity<ProblemDetail> answer = problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER,
                "Invalid parameter", e.getMessage());
        answer.getBody().setProperty("parameter", e.parameter());
        return answer;
    }

    @ExceptionHandler({StreamsUnavailableException.class, InvalidStateStoreException.class})
    ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
        log.debug("Answering 503: {}", e.getMessage());
        ResponseEntity<ProblemDetail> answer = problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE,
                "Unavailable", "the aggregate store is not ready (starting, restoring or rebalancing); retry shortly");
        return ResponseEntity.status(answer.getStatusCode())
                .headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .body(answer.getBody());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> frameworkStatus(ResponseStatusException e) {
        HttpStatusCode status = e.getStatusCode();
        URI type = switch (status.value()) {
            case 400 -> ProblemTypes.INVALID_PARAMETER;
            case 404 -> ProblemTypes.NOT_FOUND;
            case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
            case 406 -> ProblemTypes.NOT_ACCEPTABLE;
            case 415 -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ProblemTypes.UNAVAILABLE;
            default -> ProblemTypes.INTERNAL;
        };
        String detail = e instanceof ServerWebInputException input ? input.getReason() : e.getReason();
        return problem(status, type, HttpStatus.valueOf(status.value()).getReasonPhrase(),
                detail == null ? HttpStatus.valueOf(status.value()).getReasonPhrase() : detail);
    }

    @ExceptionHandler
    Mono<ResponseEntity<ProblemDetail>> unexpected(Exception e) {
        // logged in handle, where Reactor restores the request's trace context (propagation "limited")
        return Mono.just(e).handle((error, sink) -> {
            log.error("Query failed", error);
            sink.next(problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL, "Internal error", "the query failed on our side"));
        });
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, URI type, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(type);
        body.setTitle(title);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
