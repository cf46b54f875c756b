package dev.batchmesh.gateway.problem;

import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.gateway.config.GatewayServiceProperties;
import dev.batchmesh.gateway.routing.RouteTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Turns every error the gateway itself produces into a problem answer. Runs before Boot's default
 * handler (order -1), which would answer with its own JSON shape and could expose internals.
 * Answers that a backend sent are not errors here: they are proxied unchanged.
 */
@Component
@Order(-2)
class ProblemErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

    private final ProblemWriter problemWriter;
    private final RouteTable routeTable;
    private final long retryAfterSeconds;

    ProblemErrorHandler(ProblemWriter problemWriter, RouteTable routeTable, GatewayServiceProperties properties) {
        this.problemWriter = problemWriter;
        this.routeTable = routeTable;
        this.retryAfterSeconds = wholeSecondsAtLeastOne(properties.retryAfter());
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            // Mid-stream (an SSE connection that broke): nothing can be added; let the connection close.
            log.debug("Error after the response was committed: {}", error.toString());
            return Mono.error(error);
        }
        // handle: Reactor restores the request's trace context there (context propagation "limited"),
        // so the warnings toProblem logs carry its ids
        return Mono.just(error)
                .<GatewayProblemException>handle((failure, sink) -> sink.next(toProblem(exchange, failure)))
                .flatMap(problem -> {
                    // A backend answer may have been half-copied before the failure: start from clean headers.
                    exchange.getResponse().getHeaders().clear();
                    return problemWriter.write(exchange, problem.status(), problem.type(), problem.detail(), problem.headers());
                });
    }

    private GatewayProblemException toProblem(ServerWebExchange exchange, Throwable error) {
        if (error instanceof GatewayProblemException problem) {
            return problem;
        }
        if (error instanceof ErrorResponse response) {
            return fromStatus(exchange, HttpStatus.resolve(response.getStatusCode().value()));
        }
        // TimeoutException: the connection pool had no connection to lend in time.
        if (hasCause(error, SocketException.class, UnknownHostException.class, TimeoutException.class)) {
            // Connection refused, no route, unresolvable name, or no pooled connection in time: the
            // backend is down or starting. Nothing reached it, so a retry is safe.
            log.warn("Backend of route {} unavailable: {}", routeId(exchange), rootCause(error).toString());
            return withRetryAfter(HttpStatus.SERVICE_UNAVAILABLE,
                    "The service behind this API is unavailable; retry after the Retry-After delay.");
        }
        if (hasCause(error, PrematureCloseException.class, IOException.class)) {
            log.warn("Backend of route {} failed mid-exchange: {}", routeId(exchange), rootCause(error).toString());
            return withRetryAfter(HttpStatus.BAD_GATEWAY,
                    "The service behind this API closed the connection before answering.");
        }
        log.error("Unexpected error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
        return plain(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL, "The gateway failed to handle the request.");
    }

    private GatewayProblemException fromStatus(ServerWebExchange exchange, HttpStatus status) {
        if (status == null) {
            return plain(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL, "The gateway failed to handle the request.");
        }
        return switch (status) {
            case NOT_FOUND, METHOD_NOT_ALLOWED -> notRouted(exchange);
            case GATEWAY_TIMEOUT -> {
                log.warn("Backend of route {} did not answer in time", routeId(exchange));
                yield plain(status, ProblemTypes.UNAVAILABLE, "The service behind this API did not answer in time.");
            }
            case SERVICE_UNAVAILABLE, BAD_GATEWAY -> withRetryAfter(status, "The service behind this API is unavailable.");
            case PAYLOAD_TOO_LARGE, REQUEST_HEADER_FIELDS_TOO_LARGE, URI_TOO_LONG ->
                    plain(status, ProblemTypes.PAYLOAD_TOO_LARGE, "The request is too large.");
            case UNSUPPORTED_MEDIA_TYPE -> plain(status, ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "The content type is not supported.");
            case NOT_ACCEPTABLE -> plain(status, ProblemTypes.NOT_ACCEPTABLE, "No acceptable representation.");
            case UNAUTHORIZED -> plain(status, ProblemTypes.UNAUTHENTICATED, "Authentication is required.");
            case TOO_MANY_REQUESTS -> plain(status, ProblemTypes.RATE_LIMITED, "Too many requests.");
            case BAD_REQUEST -> plain(status, ProblemTypes.INVALID_PARAMETER, "The request is malformed.");
            default -> status.is4xxClientError()
                    ? plain(status, ProblemTypes.INVALID_PARAMETER, "The request cannot be served: " + status.getReasonPhrase() + ".")
                    : plain(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL, "The gateway failed to handle the request.");
        };
    }

    /** No route matched: 405 when the path exists with other methods, otherwise 404. */
    private GatewayProblemException notRouted(ServerWebExchange exchange) {
        Set<HttpMethod> allowed = routeTable.allowedMethods(exchange.getRequest().getPath().pathWithinApplication().value());
        if (allowed.isEmpty()) {
            return plain(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND,
                    "There is no API operation at this path; the API is described at /v1/openapi.yaml.");
        }
        HttpHeaders headers = new HttpHeaders();
        headers.setAllow(allowed);
        String names = allowed.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        return new GatewayProblemException(HttpStatus.METHOD_NOT_ALLOWED, ProblemTypes.METHOD_NOT_ALLOWED,
                "Method " + exchange.getRequest().getMethod().name() + " is not allowed here; allowed: " + names + ".", headers);
    }

    private GatewayProblemException withRetryAfter(HttpStatus status, String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return new GatewayProblemException(status, ProblemTypes.UNAVAILABLE, detail, headers);
    }

    private static GatewayProblemException plain(HttpStatus status, URI type, String detail) {
        return new GatewayProblemException(status, type, detail, HttpHeaders.EMPTY);
    }

    @SafeVarargs
    private static boolean hasCause(Throwable error, Class<? extends Throwable>... types) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String routeId(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route == null ? "-" : route.getId();
    }

    private static long wholeSecondsAtLeastOne(Duration duration) {
        long seconds = duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
