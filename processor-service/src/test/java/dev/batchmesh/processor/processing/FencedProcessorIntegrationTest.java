package dev.batchmesh.processor.processing;

import static dev.batchmesh.processor.KafkaTestClients.committedReader;
import static dev.batchmesh.processor.KafkaTestClients.microBatchMessage;
import static dev.batchmesh.processor.KafkaTestClients.partialsOfStream;
import static dev.batchmesh.processor.KafkaTestClients.pollUntil;
import static dev.batchmesh.processor.KafkaTestClients.sendCommitted;
import static dev.batchmesh.processor.KafkaTestClients.transactionalProducer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.series.SeriesKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/** A zombie processor (its producer fenced by a newer one with the same transactional id) must stop, not commit. */
@SpringBootTest
@ActiveProfiles("test")
@DirtiesContext
@EmbeddedKafka(partitions = 1, topics = "microbatches", brokerProperties = {
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=4", "offsets.topic.num.partitions=4",
        "group.initial.rebalance.delay.ms=0"})
class FencedProcessorIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final TopicPartition INPUT = new TopicPartition("microbatches", 0);

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    ProducerFactory<byte[], byte[]> producerFactory;

    @Autowired
    KafkaListenerEndpointRegistry registry;

    @Autowired
    ApplicationAvailability availability;

    @Test
    void shouldStopAndLeaveTheOffsetBeforeTheUnprocessedBatchWhenItsProducerIsFenced() throws Exception {
        String bootstrap = broker.getBrokersAsString();
        String before = "before-" + UUID.randomUUID().toString().substring(0, 8);
        String after = "after-" + UUID.randomUUID().toString().substring(0, 8);
        KafkaProducer<byte[], byte[]> batcher = transactionalProducer(bootstrap, "test-batcher-" + UUID.randomUUID());
        List<KafkaProducer<byte[], byte[]>> usurpers = new ArrayList<>();
        try (batcher; Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            RecordMetadata processed = sendCommitted(batcher, List.of(microBatchMessage("microbatches", 0, batchOf(before)))).getFirst();
            awaitPartialsOf(bootstrap, before);

            String prefix = producerFactory.getTransactionIdPrefix();
            assertThat(prefix).isNotBlank();
            List<String> processorTransactionalIds = admin.listTransactions().all().get().stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(prefix))
                    .toList();
            assertThat(processorTransactionalIds).as("transactional ids starting with %s", prefix).isNotEmpty();
            for (String id : processorTransactionalIds) {
                // a newer producer with the same id bumps the epoch: the processor's producer is now a zombie
                usurpers.add(transactionalProducer(bootstrap, id));
            }

            RecordMetadata unprocessed = sendCommitted(batcher, List.of(microBatchMessage("microbatches", 0, batchOf(after)))).getFirst();

            ConcurrentMessageListenerContainer<?, ?> container = (ConcurrentMessageListenerContainer<?, ?>)
                    registry.getListenerContainer(MicroBatchListener.CONTAINER_ID);
            assertThat(container).isNotNull();
            await().atMost(TIMEOUT).untilAsserted(() ->
                    assertThat(container.getContainers()).noneMatch(c -> c.isRunning()));

            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("processor")
                    .partitionsToOffsetAndMetadata().get().get(INPUT);
            // offsets between the two batches hold the batcher's commit marker, not data
            assertThat(committed.offset()).as("the group resumes at the batch the zombie did not finish")
                    .isGreaterThan(processed.offset()).isLessThanOrEqualTo(unprocessed.offset());
            assertThat(partialsOf(bootstrap, after, Duration.ofSeconds(3))).as("no partials of the unprocessed batch committed").isEmpty();
            assertThat(availability.getLivenessState()).isEqualTo(LivenessState.BROKEN);
            await().atMost(TIMEOUT).until(() -> !container.isRunning());
        } finally {
            usurpers.forEach(KafkaProducer::close);
        }
    }

    private static MicroBatch batchOf(String stream) {
        long now = System.currentTimeMillis();
        return new MicroBatch(UUID.randomUUID(), now,
                List.of(new SeriesPoints(new SeriesKey("tenant-a", stream, "k"), new long[] {now - 100}, new double[] {1})));
    }

    private static void awaitPartialsOf(String bootstrap, String stream) {
        assertThat(partialsOf(bootstrap, stream, TIMEOUT)).as("partials of %s", stream).isNotEmpty();
    }

    private static List<?> partialsOf(String bootstrap, String stream, Duration wait) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = committedReader(bootstrap, "partials")) {
            pollUntil(reader, got, records -> !partialsOfStream(records, stream).isEmpty(), wait);
        }
        return partialsOfStream(got, stream);
    }
}
