package dev.batchmesh.support.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient.BodyContentSpec;

/**
 * What the probe groups on a Kafka service's management port say around a broker outage: readiness
 * answers 200 with {@code kafka} UP while the broker answers and 503 with {@code kafka} DOWN once it
 * is gone, while liveness stays UP and never looks at Kafka (a restart does not bring a broker
 * back). A service names the readiness components and the consumer group of its own; the scenario
 * starts the broker, the service through a {@link ServiceStarter}, stops the broker mid-way and
 * stops both at the end.
 */
public final class BrokerOutageScenario {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** One node: internal topics on one replica, and on one partition so the broker starts fast. */
    private static final Map<String, String> BROKER_PROPERTIES = Map.of(
            "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
            "transaction.state.log.num.partitions", "1", "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "1", "group.initial.rebalance.delay.ms", "0");

    private final String topic;
    private final int partitions;
    private final List<String> upWhileTheBrokerAnswers = new ArrayList<>();
    private final List<String> upThroughTheOutage = new ArrayList<>();
    private String lagGroup;

    private BrokerOutageScenario(String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
    }

    /** A single-node broker that holds the service's topic before the service starts. */
    public static BrokerOutageScenario withTopic(String topic, int partitions) {
        return new BrokerOutageScenario(topic, partitions);
    }

    /** Another readiness component that must be UP before the outage; what it says during the outage is its own affair. */
    public BrokerOutageScenario readinessComponent(String name) {
        upWhileTheBrokerAnswers.add(name);
        return this;
    }

    /** Another readiness component that must be UP before the outage and stay UP through it: only Kafka turns readiness DOWN. */
    public BrokerOutageScenario readinessComponentThroughTheOutage(String name) {
        upThroughTheOutage.add(name);
        return this;
    }

    /** The lag gauges of the group on the topic must be exported, at zero records, before the outage. */
    public BrokerOutageScenario consumerLagOf(String group) {
        this.lagGroup = group;
        return this;
    }

    public void run(ServiceStarter starter) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaKraftBroker(1, partitions, topic).brokerProperties(BROKER_PROPERTIES);
        broker.afterPropertiesSet();
        try (RunningService service = starter.start(broker.getBrokersAsString(), serviceArguments())) {
            WebTestClient management = service.management();
            List<String> upBeforeTheOutage = new ArrayList<>(upWhileTheBrokerAnswers);
            upBeforeTheOutage.addAll(upThroughTheOutage);

            await().atMost(TIMEOUT).untilAsserted(() -> expectReadiness(management, 200, "UP", upBeforeTheOutage));
            if (lagGroup != null) {
                await().atMost(TIMEOUT).untilAsserted(() -> expectZeroLag(management));
            }

            broker.destroy();

            await().atMost(TIMEOUT).untilAsserted(() -> expectReadiness(management, 503, "DOWN", upThroughTheOutage));
            BodyContentSpec liveness = management.get().uri("/actuator/health/liveness").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("UP")
                    .jsonPath("$.components.kafka").doesNotExist();
            upBeforeTheOutage.forEach(name -> liveness.jsonPath("$.components." + name).doesNotExist());
        } finally {
            broker.destroy();
        }
    }

    private String[] serviceArguments() {
        List<String> arguments = new ArrayList<>(List.of(
                // every probe asks the broker, so the outage shows on the next one
                "--batchmesh.kafka.health.cache-for=0s",
                "--management.endpoint.health.show-components=always",
                // producers, listener containers and Kafka Streams wait for the vanished broker when stopping; don't wait long
                "--spring.lifecycle.timeout-per-shutdown-phase=5s"));
        if (lagGroup != null) {
            arguments.add("--batchmesh.kafka.consumer-lag.interval=200ms");
        }
        return arguments.toArray(String[]::new);
    }

    private static void expectReadiness(WebTestClient management, int status, String kafka, Collection<String> upComponents) {
        BodyContentSpec readiness = management.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isEqualTo(status)
                .expectBody().jsonPath("$.status").isEqualTo(kafka)
                .jsonPath("$.components.kafka.status").isEqualTo(kafka);
        upComponents.forEach(name -> readiness.jsonPath("$.components." + name + ".status").isEqualTo("UP"));
    }

    private void expectZeroLag(WebTestClient management) {
        String scrape = management.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(scrape)
                .containsPattern("batchmesh_consumer_lag_records\\{[^}]*group=\"" + Pattern.quote(lagGroup)
                        + "\"[^}]*topic=\"" + Pattern.quote(topic) + "\"[^}]*} 0\\.0")
                .contains("batchmesh_consumer_lag_max_records{");
    }
}
