package dev.batchmesh.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Lag read from a real broker: records produced, offsets committed (or not), lag as the gauges report it. */
@EmbeddedKafka(brokerProperties = {
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1", "offsets.topic.num.partitions=1"})
class ConsumerLagIntegrationTest {

    private final String topic = "input-" + UUID.randomUUID();
    private final String group = "group-" + UUID.randomUUID();
    private String bootstrap;
    private Admin admin;
    private ConsumerLagReader reader;

    @BeforeEach
    void createTopic() throws Exception {
        bootstrap = EmbeddedKafkaCondition.getBroker().getBrokersAsString();
        admin = KafkaConnectivityHealthIndicatorIntegrationTest.admin(bootstrap);
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        reader = new ConsumerLagReader(admin, Duration.ofSeconds(10));
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void shouldCountEveryRecordWhenTheGroupHasCommittedNothing() throws Exception {
        produce(0, 5);
        produce(1, 2);

        assertThat(reader.read(group, topic)).isEqualTo(new ConsumerLag(7, 5));
    }

    @Test
    void shouldCountOnlyTheRecordsAfterTheCommittedOffsets() throws Exception {
        produce(0, 5);
        produce(1, 2);
        commit(Map.of(0, 3L));

        assertThat(reader.read(group, topic)).as("2 left on partition 0, 2 never consumed on 1").isEqualTo(new ConsumerLag(4, 2));

        commit(Map.of(0, 5L, 1, 2L));
        assertThat(reader.read(group, topic)).isEqualTo(new ConsumerLag(0, 0));
    }

    @Test
    void shouldLeaveOutRecordsOfTransactionsNotYetCommitted() throws Exception {
        produce(0, 3);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {1}));
            }
            producer.flush();

            assertThat(reader.read(group, topic)).as("read_committed: the open transaction is not consumable yet")
                    .isEqualTo(new ConsumerLag(3, 3));

            producer.commitTransaction();
        }
        // the 4 records plus the transaction's commit marker, which takes an offset of its own; markers
        // are written after commitTransaction returns, so the last stable offset moves a moment later
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(reader.read(group, topic)).isEqualTo(new ConsumerLag(8, 8)));
    }

    @Test
    void shouldPublishTheLagAsGaugesTaggedWithGroupAndTopicOnly() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        ConsumerLagGauges gauges = new ConsumerLagGauges(reader, group, topic, Duration.ofMillis(200), registry);
        assertThat(lag(registry, "batchmesh.consumer.lag")).as("before the first measurement").isNaN();

        produce(0, 4);
        produce(1, 6);
        gauges.start();
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(lag(registry, "batchmesh.consumer.lag")).isEqualTo(10.0);
                assertThat(lag(registry, "batchmesh.consumer.lag.max")).isEqualTo(6.0);
            });
            commit(Map.of(1, 6L));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(lag(registry, "batchmesh.consumer.lag")).isEqualTo(4.0));
        } finally {
            gauges.stop();
        }
        assertThat(registry.get("batchmesh.consumer.lag").gauge().getId().getTags())
                .extracting(t -> t.getKey()).containsExactlyInAnyOrder("group", "topic");
        assertThat(registry.get("batchmesh.consumer.lag").gauge().getId().getBaseUnit()).isEqualTo("records");
    }

    @Test
    void shouldReportAnUnknownLagWhileTheTopicCannotBeRead() {
        MeterRegistry registry = new SimpleMeterRegistry();
        ConsumerLagGauges gauges = new ConsumerLagGauges(new ConsumerLagReader(admin, Duration.ofSeconds(2)), group,
                "missing-" + UUID.randomUUID(), Duration.ofSeconds(1), registry);

        gauges.refresh();

        assertThat(lag(registry, "batchmesh.consumer.lag")).isNaN();
        assertThat(lag(registry, "batchmesh.consumer.lag.max")).isNaN();
    }

    private double lag(MeterRegistry registry, String name) {
        return registry.get(name).tag("group", group).gauge().value();
    }

    private void produce(int partition, int records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, partition, null, new byte[] {(byte) i})).get();
            }
        }
    }

    private void commit(Map<Integer, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((partition, offset) -> commits.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
        admin.alterConsumerGroupOffsets(group, commits).all().get();
    }
}
