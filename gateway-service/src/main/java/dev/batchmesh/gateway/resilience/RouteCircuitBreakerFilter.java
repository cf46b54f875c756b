package dev.batchmesh.gateway.resilience;

import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.gateway.problem.GatewayProblemException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Puts every routed call behind the Resilience4j circuit breaker named like its route, and every
 * call of a route that has a time limiter under that limit. A call fails for the breaker when it
 * errors, times out or the backend answers 5xx. While a breaker is open, and when a call exceeds
 * its limit, the client gets a 503 problem with Retry-After at once instead of a piled-up
 * connection. Breaker states show in {@code /actuator/health} and as
 * {@code resilience4j_circuitbreaker_state} metrics.
 */
@Component
class RouteCircuitBreakerFilter implements GlobalFilter, Ordered {

    private final CircuitBreakerRegistry breakers;
    private final TimeLimiterRegistry timeLimiters;

    RouteCircuitBreakerFilter(CircuitBreakerRegistry breakers, TimeLimiterRegistry timeLimiters) {
        this.breakers = breakers;
        this.timeLimiters = timeLimiters;
    }

    @Override
    public int getOrder() {
        // after authentication and rate limiting: refused callers never count against a backend
        return Ordered.HIGHEST_PRECEDENCE + 30;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null || breakers.find(route.getId()).isEmpty()) {
            return chain.filter(exchange);
        }
        CircuitBreaker breaker = breakers.circuitBreaker(route.getId());
        if (!breaker.tryAcquirePermission()) {
            Duration wait = Duration.ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
            return Mono.error(unavailable("The service behind this route is failing; the gateway stopped calling it for now.", wait));
        }
        long start = breaker.getCurrentTimestamp();
        Mono<Void> call = chain.filter(exchange);
        Duration limit = timeLimiters.find(route.getId()).map(t -> t.getTimeLimiterConfig().getTimeoutDuration()).orElse(null);
        if (limit != null) {
            call = call.timeout(limit);
        }
        return call
                .doOnSuccess(done -> {
                    HttpStatusCode status = exchange.getResponse().getStatusCode();
                    long elapsed = breaker.getCurrentTimestamp() - start;
                    if (status != null && status.is5xxServerError()) {
                        breaker.onError(elapsed, breaker.getTimestampUnit(), new BackendFailed(status));
                    } else {
                        breaker.onSuccess(elapsed, breaker.getTimestampUnit());
                    }
                })
                .doOnError(error -> breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), error))
                .doOnCancel(breaker::releasePermission)
                .onErrorMap(TimeoutException.class, timeout -> unavailable(
                        "The service behind this route did not answer within " + limit.toMillis() + " ms.", Duration.ofSeconds(1)));
    }

    private static GatewayProblemException unavailable(String detail, Duration retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, TimeUnit.MILLISECONDS.toSeconds(retryAfter.toMillis() + 999))));
        return new GatewayProblemException(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.UNAVAILABLE, detail, headers);
    }

    /** A 5xx answer counted as a failed call. */
    private static final class BackendFailed extends RuntimeException {
        BackendFailed(HttpStatusCode status) {
            super("backend answered " + status.value(), null, false, false);
        }
    }
}
