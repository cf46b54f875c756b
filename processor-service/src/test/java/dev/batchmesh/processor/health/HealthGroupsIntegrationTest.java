package dev.batchmesh.processor.health;

import dev.batchmesh.processor.ProcessorServiceApplication;
import dev.batchmesh.support.testing.BrokerOutageScenario;
import dev.batchmesh.support.testing.ServiceStarter;
import org.junit.jupiter.api.Test;

/**
 * The probes' groups on the management port: readiness follows the broker, liveness does not, and
 * the lag of the processor's group on microbatches is exported. The broker is stopped mid-test.
 */
class HealthGroupsIntegrationTest {

    @Test
    void shouldTakeReadinessButNotLivenessDownWhileTheBrokerIsOutOfReach() {
        BrokerOutageScenario.withTopic("microbatches", 2)
                .consumerLagOf("processor")
                .run(ServiceStarter.springBoot(ProcessorServiceApplication.class));
    }
}
