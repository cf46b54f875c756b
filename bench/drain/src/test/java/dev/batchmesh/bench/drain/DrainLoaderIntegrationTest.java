package dev.batchmesh.bench.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchmesh.bench.peer.BenchmarkResult;
import dev.batchmesh.bench.workload.Arguments;
import dev.batchmesh.bench.workload.WorkloadGenerator;
import dev.batchmesh.bench.workload.WorkloadRecord;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.contract.PipelineTopics;
import dev.batchmesh.core.series.SeriesKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The loader against spring-kafka-test's in-process broker: what it writes to {@code microbatches}
 * is what the batcher would write, and decodes to exactly the generated workload. No services run.
 */
@EmbeddedKafka(partitions = 3, topics = {"microbatches", "late-microbatches", "tail-microbatches"}, brokerProperties = {
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1",
        "offsets.topic.num.partitions=1"})
class DrainLoaderIntegrationTest {

    private static final int PARTITIONS = 3;
    private static String bootstrap;

    @BeforeAll
    static void broker() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        bootstrap = broker.getBrokersAsString();
    }

    @Test
    void shouldWriteMicroBatchesThatDecodeToExactlyTheGeneratedRecords() {
        long before = System.currentTimeMillis();
        LoadOptions options = LoadOptions.from(Arguments.parse("--bootstrap", bootstrap, "--records", "3000",
                "--batch-records", "200", "--keys", "40", "--key-distribution", "zipf:1.1", "--seed", "5"), before);

        BenchmarkResult result = DrainLoader.load(options);
        List<ConsumerRecord<byte[], byte[]>> messages = readCommitted(PipelineTopics.MICROBATCHES);
        long after = System.currentTimeMillis();

        List<MicroBatch> batches = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> message : messages) {
            MicroBatch batch = MicroBatchCodec.decode(message.value());
            batches.add(batch);
            assertThat(message.key()).isNull();
            assertThat(header(message, PipelineTopics.FORMAT_VERSION_HEADER)).containsExactly(MicroBatchCodec.CURRENT_VERSION);
            assertThat(header(message, PipelineTopics.BATCH_ID_HEADER)).containsExactly(DrainLoader.idBytes(batch.id()));
            assertThat(batch.createdAt()).isBetween(before, after);
            assertThat(batch.recordCount()).isBetween(1, 200);
            for (SeriesPoints series : batch.series()) {
                assertThat(series.series().tenant()).isEqualTo("dev");
                assertThat(series.series().stream()).isEqualTo("latency");
                assertThat(SeriesKey.partitionOf(series.series().toBytes(), PARTITIONS)).isEqualTo(message.partition());
            }
        }
        WorkloadGenerator generator = new WorkloadGenerator(options.workload());
        List<WorkloadRecord> generated = IntStream.range(0, 3000).mapToObj(i -> generator.next()).toList();
        assertThat(DecodedRecords.perKey(batches)).isEqualTo(DecodedRecords.perKey(generated));
        assertThat(generated.getLast().timestampMillis()).isLessThanOrEqualTo(before);
        assertThat(result.records()).isEqualTo(3000);
        assertThat(result.details()).containsEntry("messages", (long) messages.size()).containsEntry("partitions", PARTITIONS)
                .containsEntry("minTimestampMillis", generated.stream().mapToLong(WorkloadRecord::timestampMillis).min().orElseThrow());
    }

    @Test
    void shouldFindWhereTheDataOfATransactionalTopicEndsBeforeItsCommitMarkers() {
        DrainLoader.load(LoadOptions.from(Arguments.parse("--bootstrap", bootstrap, "--records", "2000", "--topic", "tail-microbatches",
                "--batch-records", "100", "--messages-per-transaction", "7"), System.currentTimeMillis()));
        Map<TopicPartition, Long> expected = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> message : readCommitted("tail-microbatches")) {
            expected.merge(new TopicPartition("tail-microbatches", message.partition()), message.offset() + 1, Math::max);
        }

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            ConsumerProgress progress = new ConsumerProgress(admin, bootstrap);
            Map<TopicPartition, Long> dataEnds = progress.dataEnds("tail-microbatches");
            Map<TopicPartition, Long> logEnds = progress.endOffsets("tail-microbatches");

            assertThat(dataEnds).isEqualTo(expected);
            assertThat(expected).allSatisfy((tp, end) -> assertThat(logEnds.get(tp)).isGreaterThan(end));
            assertThat(ConsumerProgress.lag(dataEnds, dataEnds)).isZero();
        }
    }

    @Test
    void shouldSeeAGroupAssignedOnlyOnceAMemberHoldsPartitionsOfTheTopic() {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "assigned-group");
        try (Admin admin = Admin.create(adminProps);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            ConsumerProgress progress = new ConsumerProgress(admin, bootstrap);
            assertThat(progress.hasAssignment("assigned-group", "late-microbatches")).isFalse();

            consumer.subscribe(List.of("late-microbatches"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty()) {
                assertThat(System.nanoTime()).as("assigned within 30 s").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(100));
            }

            assertThat(progress.hasAssignment("assigned-group", "late-microbatches")).isTrue();
            assertThat(progress.hasAssignment("assigned-group", "tail-microbatches")).isFalse();
        }
    }

    @Test
    void shouldRefuseRecordsTheProcessorWouldDropAsLate() {
        LoadOptions options = LoadOptions.from(Arguments.parse("--bootstrap", bootstrap, "--records", "100",
                "--topic", "late-microbatches", "--start", "2026-01-01T00:00:00Z"), System.currentTimeMillis());

        assertThatThrownBy(() -> DrainLoader.load(options)).isInstanceOf(IllegalStateException.class).hasMessageContaining("late");
        assertThat(readCommitted("late-microbatches")).isEmpty();
    }

    private static byte[] header(ConsumerRecord<byte[], byte[]> message, String name) {
        Header header = message.headers().lastHeader(name);
        assertThat(header).as(name).isNotNull();
        return header.value();
    }

    /** Every committed message of the topic, in partition and offset order. */
    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                assertThat(System.nanoTime()).as("read %s to its end within 30 s", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
        return out;
    }
}
