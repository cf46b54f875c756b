package dev.batchmesh.aggregator.merge;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP only while Kafka Streams is RUNNING: while it starts, restores or rebalances the instance
 * answers queries with 503, so the readiness group (which includes this) keeps traffic away.
 */
public class KafkaStreamsHealthIndicator implements HealthIndicator {

    private final AggregatorStreams streams;

    public KafkaStreamsHealthIndicator(AggregatorStreams streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        KafkaStreams.State state = streams.state();
        Health.Builder builder = state == KafkaStreams.State.RUNNING ? Health.up() : Health.down();
        return builder.withDetail("state", state.name()).build();
    }
}
