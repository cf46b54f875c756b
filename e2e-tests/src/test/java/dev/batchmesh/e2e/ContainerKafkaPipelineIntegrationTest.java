package dev.batchmesh.e2e;

import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same end-to-end assertions against the official Apache Kafka image. Runs only where Docker
 * is available; skipped, not failed, elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaPipelineIntegrationTest extends AbstractPipelineEndToEndTest {

    private KafkaContainer kafka;

    @Override
    String bootstrapServers() {
        kafka = new KafkaContainer("apache/kafka:4.1.2");
        kafka.start();
        return kafka.getBootstrapServers();
    }

    @Override
    void stopBroker() {
        if (kafka != null) {
            kafka.stop();
        }
    }
}
