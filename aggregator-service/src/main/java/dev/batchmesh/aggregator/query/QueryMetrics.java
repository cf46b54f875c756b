package dev.batchmesh.aggregator.query;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** {@code aggregator.queries}: latency per endpoint (a fixed set of names) and outcome. */
@Component
class QueryMetrics {

    private final MeterRegistry registry;

    QueryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    <T> Mono<T> timed(String endpoint, Mono<T> answer) {
        return Mono.defer(() -> {
            Timer.Sample sample = Timer.start(registry);
            return answer
                    .doOnSuccess(v -> sample.stop(timer(endpoint, "success")))
                    .doOnError(e -> sample.stop(timer(endpoint, "error")));
        });
    }

    private Timer timer(String endpoint, String outcome) {
        return Timer.builder("aggregator.queries")
                .description("Queries answered, by endpoint")
                .tag("endpoint", endpoint)
                .tag("outcome", outcome)
                .register(registry);
    }
}
