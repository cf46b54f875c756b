package dev.batchmesh.e2e;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** The end-to-end assertions against spring-kafka-test's in-process KRaft broker: runs everywhere, Docker or not. */
class EmbeddedKafkaPipelineIntegrationTest extends AbstractPipelineEndToEndTest {

    private EmbeddedKafkaKraftBroker broker;

    @Override
    String bootstrapServers() {
        broker = new EmbeddedKafkaKraftBroker(1, 6);
        broker.brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        return broker.getBrokersAsString();
    }

    @Override
    void stopBroker() {
        if (broker != null) {
            broker.destroy();
        }
    }
}
