package dev.batchmesh.aggregator.health;

import dev.batchmesh.aggregator.support.AggregatorInstance;
import dev.batchmesh.support.testing.BrokerOutageScenario;
import dev.batchmesh.support.testing.RunningService;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes' groups on the management port: readiness follows the broker and the Kafka Streams
 * application, liveness does not, and the lag of the Kafka Streams application on partials is
 * exported. The broker is stopped mid-test.
 */
class HealthGroupsIntegrationTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldTakeReadinessButNotLivenessDownWhileTheBrokerIsOutOfReach() {
        BrokerOutageScenario.withTopic("partials", 6)
                .readinessComponent("kafkaStreams")
                .consumerLagOf("aggregator")
                .run((bootstrapServers, arguments) -> {
                    AggregatorInstance app = AggregatorInstance.start(bootstrapServers, stateDir, arguments).awaitRunning();
                    return new RunningService(app.management(), app::close);
                });
    }
}
