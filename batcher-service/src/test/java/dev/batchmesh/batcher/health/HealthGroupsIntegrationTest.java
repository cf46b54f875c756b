package dev.batchmesh.batcher.health;

import dev.batchmesh.batcher.BatcherServiceApplication;
import dev.batchmesh.support.testing.BrokerOutageScenario;
import dev.batchmesh.support.testing.ServiceStarter;
import org.junit.jupiter.api.Test;

/**
 * The probes' groups on the management port: readiness follows the broker, liveness does not. The
 * broker is stopped after the idempotency log has been read, so that check stays UP and only Kafka
 * turns readiness DOWN.
 */
class HealthGroupsIntegrationTest {

    @Test
    void shouldTakeReadinessButNotLivenessDownWhileTheBrokerIsOutOfReach() {
        BrokerOutageScenario.withTopic("microbatches", 2)
                .readinessComponentThroughTheOutage("idempotency")
                .run(ServiceStarter.springBoot(BatcherServiceApplication.class));
    }
}
