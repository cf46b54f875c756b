package dev.batchmesh.e2e.support;

import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** spring-kafka-test's in-process KRaft broker, set up for the pipeline's transactions. */
public final class EmbeddedBroker {

    private EmbeddedBroker() {
    }

    /**
     * A single-node broker whose transaction log is already created: on a busy machine the first
     * transactional producer can wait for it longer than a service's start-up allows, which is about
     * the test machine and not what the tests are about.
     */
    public static EmbeddedKafkaKraftBroker startTransactional() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PipelineCluster.PARTITIONS);
        broker.brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "6",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "e2e-broker-warm-up",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
        }
        return broker;
    }
}
