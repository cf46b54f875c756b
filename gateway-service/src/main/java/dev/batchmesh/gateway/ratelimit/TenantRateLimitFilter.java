package dev.batchmesh.gateway.ratelimit;

import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.core.contract.TenantHeader;
import dev.batchmesh.gateway.problem.GatewayProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Limits each tenant's requests and ingested records per second. Requests are counted before they
 * are forwarded. Records are counted while an ingest body streams to the batcher and charged when
 * it ends; a tenant in record debt gets 429 until refills paid it back. Every answer carries the
 * IETF RateLimit and RateLimit-Policy headers of the requests bucket.
 */
@Component
class TenantRateLimitFilter implements GlobalFilter, Ordered {

    private record Buckets(TokenBucket requests, TokenBucket records) {
    }

    private final RateLimitProperties properties;
    private final Map<String, Buckets> buckets = new ConcurrentHashMap<>();
    private final Counter limitedRequests;
    private final Counter limitedRecords;

    TenantRateLimitFilter(RateLimitProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.limitedRequests = Counter.builder("batchmesh.gateway.rate.limited").tag("limit", "requests")
                .description("Requests answered 429").register(registry);
        this.limitedRecords = Counter.builder("batchmesh.gateway.rate.limited").tag("limit", "records")
                .description("Requests answered 429").register(registry);
    }

    @Override
    public int getOrder() {
        // right after authentication, which sets the tenant header
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        String tenant = exchange.getRequest().getHeaders().getFirst(TenantHeader.NAME);
        if (tenant == null) {
            return chain.filter(exchange);
        }
        Buckets b = buckets.computeIfAbsent(tenant, this::newBuckets);
        if (!b.requests().tryTake(1)) {
            limitedRequests.increment();
            return Mono.error(tooMany(b.requests(), b.requests().secondsUntil(1), "requests"));
        }
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set("RateLimit-Policy", policy(b.requests()));
            exchange.getResponse().getHeaders().set("RateLimit", state(b.requests()));
            return Mono.empty();
        });
        if (!isIngest(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        if (!b.records().hasTokens()) {
            limitedRecords.increment();
            return Mono.error(tooMany(b.requests(), b.records().secondsUntil(1), "records"));
        }
        ServerHttpRequest counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                RecordCounter counter = new RecordCounter();
                return super.getBody()
                        .doOnNext(buffer -> {
                            try (DataBuffer.ByteBufferIterator views = buffer.readableByteBuffers()) {
                                views.forEachRemaining(counter::accept);
                            }
                        })
                        .doFinally(signal -> b.records().charge(counter.records()));
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    private Buckets newBuckets(String tenant) {
        RateLimitProperties.Limit limit = properties.of(tenant);
        return new Buckets(new TokenBucket(limit.requestsPerSecond(), limit.requestBurst(), System::nanoTime),
                new TokenBucket(limit.recordsPerSecond(), limit.recordBurst(), System::nanoTime));
    }

    private static boolean isIngest(ServerHttpRequest request) {
        return request.getMethod() == HttpMethod.POST && request.getPath().value().endsWith("/records");
    }

    private static GatewayProblemException tooMany(TokenBucket requests, long retryAfterSeconds, String what) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfterSeconds)));
        headers.set("RateLimit-Policy", policy(requests));
        headers.set("RateLimit", state(requests));
        return new GatewayProblemException(HttpStatus.TOO_MANY_REQUESTS, ProblemTypes.RATE_LIMITED,
                "This tenant is over its rate limit on " + what + "; retry after the Retry-After header.", headers);
    }

    private static String policy(TokenBucket requests) {
        return "\"requests\";q=" + requests.capacity() + ";w=" + Math.max(1, requests.secondsUntilFullFromEmpty());
    }

    private static String state(TokenBucket requests) {
        return "\"requests\";r=" + requests.remaining() + ";t=" + requests.secondsUntilFull();
    }
}
