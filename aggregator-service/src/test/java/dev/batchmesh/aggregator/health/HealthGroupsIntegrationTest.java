package dev.batchmesh.aggregator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.aggregator.support.AggregatorInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The probes' groups on the management port: readiness follows the broker, liveness does not, and
 * the lag of the Kafka Streams application on partials is exported. The broker is stopped mid-test.
 */
class HealthGroupsIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    @Test
    void shouldTakeReadinessButNotLivenessDownWhileTheBrokerIsOutOfReach() {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaKraftBroker(1, 6, "partials").brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1", "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        try (AggregatorInstance app = AggregatorInstance.start(broker.getBrokersAsString(), stateDir,
                "--batchmesh.kafka.health.cache-for=0s",
                "--batchmesh.kafka.consumer-lag.interval=200ms",
                "--management.endpoint.health.show-components=always",
                // Kafka Streams waits for the vanished broker when closing; don't wait long
                "--spring.lifecycle.timeout-per-shutdown-phase=5s").awaitRunning()) {
            WebTestClient management = app.management();

            await().atMost(TIMEOUT).untilAsserted(() -> management.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.components.kafka.status").isEqualTo("UP")
                    .jsonPath("$.components.kafkaStreams.status").isEqualTo("UP"));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(management.get().uri("/actuator/prometheus").exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                    .containsPattern("batchmesh_consumer_lag_records\\{[^}]*group=\"aggregator\"[^}]*topic=\"partials\"[^}]*} 0\\.0")
                    .contains("batchmesh_consumer_lag_max_records{"));

            broker.destroy();

            await().atMost(TIMEOUT).untilAsserted(() -> management.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.components.kafka.status").isEqualTo("DOWN"));
            management.get().uri("/actuator/health/liveness").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("UP")
                    .jsonPath("$.components.kafka").doesNotExist();
        } finally {
            broker.destroy();
        }
    }
}
