package dev.batchmesh.e2e;

import dev.batchmesh.e2e.support.EmbeddedBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The end-to-end assertions against spring-kafka-test's in-process KRaft broker: runs everywhere, Docker or not. */
class EmbeddedKafkaPipelineIntegrationTest extends AbstractPipelineEndToEndTest {

    private EmbeddedKafkaKraftBroker broker;

    @Override
    String bootstrapServers() {
        broker = EmbeddedBroker.startTransactional();
        return broker.getBrokersAsString();
    }

    @Override
    void stopBroker() {
        if (broker != null) {
            broker.destroy();
        }
    }
}
