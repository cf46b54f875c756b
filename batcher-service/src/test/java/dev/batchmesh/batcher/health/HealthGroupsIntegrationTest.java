package dev.batchmesh.batcher.health;

import static org.awaitility.Awaitility.await;

import dev.batchmesh.batcher.BatcherServiceApplication;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The probes' groups on the management port: readiness follows the broker, liveness does not. The
 * broker is stopped mid-test, after the idempotency log has been read (so only Kafka turns it DOWN).
 */
class HealthGroupsIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldTakeReadinessButNotLivenessDownWhileTheBrokerIsOutOfReach() {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaKraftBroker(1, 2, "microbatches").brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "1", "offsets.topic.num.partitions", "1"));
        broker.afterPropertiesSet();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(BatcherServiceApplication.class)
                .profiles("test")
                .run("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--batchmesh.kafka.health.cache-for=0s",
                        "--management.endpoint.health.show-components=always",
                        // the producer waits for the vanished broker when stopping; don't wait long
                        "--spring.lifecycle.timeout-per-shutdown-phase=5s")) {
            WebTestClient management = WebTestClient.bindToServer()
                    .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.management.port"))
                    .responseTimeout(Duration.ofSeconds(10)).build();

            await().atMost(TIMEOUT).untilAsserted(() -> management.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.components.kafka.status").isEqualTo("UP")
                    .jsonPath("$.components.idempotency.status").isEqualTo("UP"));

            broker.destroy();

            await().atMost(TIMEOUT).untilAsserted(() -> management.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.components.kafka.status").isEqualTo("DOWN")
                    .jsonPath("$.components.idempotency.status").isEqualTo("UP"));
            management.get().uri("/actuator/health/liveness").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("UP")
                    .jsonPath("$.components.kafka").doesNotExist();
        } finally {
            broker.destroy();
        }
    }
}
