package dev.batchmesh.processor.processing;

import static dev.batchmesh.processor.KafkaTestClients.committedReader;
import static dev.batchmesh.processor.KafkaTestClients.microBatchMessage;
import static dev.batchmesh.processor.KafkaTestClients.partialsOfStream;
import static dev.batchmesh.processor.KafkaTestClients.pollUntil;
import static dev.batchmesh.processor.KafkaTestClients.rawMicroBatchMessage;
import static dev.batchmesh.processor.KafkaTestClients.sendCommitted;
import static dev.batchmesh.processor.KafkaTestClients.transactionalProducer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.partial.SeriesPartials;
import dev.batchmesh.core.partial.SeriesPartialsCodec;
import dev.batchmesh.core.partial.WindowPartial;
import dev.batchmesh.core.series.SeriesKey;
import dev.batchmesh.core.series.WindowSpec;
import dev.batchmesh.core.testing.ExactStatistics;
import dev.batchmesh.core.testing.ValueShapes;
import dev.batchmesh.processor.deadletter.DeadLetterReason;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest
@ActiveProfiles("test")
@EmbeddedKafka(partitions = 2, topics = "microbatches", brokerProperties = {
        "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=4", "offsets.topic.num.partitions=4",
        "group.initial.rebalance.delay.ms=0"})
class MicroBatchProcessingIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final WindowSpec WINDOWS = WindowSpec.DEFAULT;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    @Test
    void shouldPublishPartialsWhoseMergeEqualsExactStatisticsOfTheRecords() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        String stream = "exact-" + UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();
        ValueShapes[] shapes = ValueShapes.values();

        // records of 4 series spread over 3 windows, split at random into 6 micro-batches
        Map<SeriesKey, Map<Long, List<Double>>> expected = new HashMap<>();
        List<Map<SeriesKey, List<long[]>>> batches = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            batches.add(new HashMap<>());
        }
        for (int k = 0; k < 4; k++) {
            SeriesKey series = new SeriesKey("tenant-a", stream, "key-" + k);
            ValueShapes shape = shapes[k % shapes.length];
            for (int i = 0; i < 150; i++) {
                long ts = now - random.nextLong(25_000);
                double value = shape.next(random);
                expected.computeIfAbsent(series, s -> new HashMap<>())
                        .computeIfAbsent(WINDOWS.startOf(ts), w -> new ArrayList<>()).add(value);
                batches.get(random.nextInt(batches.size())).computeIfAbsent(series, s -> new ArrayList<>())
                        .add(new long[] {ts, Double.doubleToLongBits(value)});
            }
        }
        // three records an hour old: past the 5 minute grace, dropped and counted
        SeriesKey lateSeries = new SeriesKey("tenant-a", stream, "key-0");
        for (int i = 0; i < 3; i++) {
            batches.getFirst().computeIfAbsent(lateSeries, s -> new ArrayList<>())
                    .add(new long[] {now - 3_600_000 - i, Double.doubleToLongBits(1e6)});
        }
        double lateBefore = meters.counter("processor.records.late").count();

        List<ProducerRecord<byte[], byte[]>> messages = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            messages.add(microBatchMessage("microbatches", b % 2, toBatch(batches.get(b), now)));
        }
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer(broker.getBrokersAsString(), "test-batcher-" + UUID.randomUUID())) {
            sendCommitted(producer, messages);
        }

        long expectedRecords = expected.values().stream().flatMap(m -> m.values().stream()).mapToLong(List::size).sum();
        List<ConsumerRecord<byte[], byte[]>> partials = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = committedReader(broker.getBrokersAsString(), "partials")) {
            boolean complete = pollUntil(reader, partials, got -> countOf(partialsOfStream(got, stream)) >= expectedRecords, TIMEOUT);
            assertThat(complete).as("all %d records arrived as partials (seed %d)", expectedRecords, seed).isTrue();
        }

        for (ConsumerRecord<byte[], byte[]> r : partials) {
            for (SeriesPartials p : SeriesPartialsCodec.decodeMessage(r.key(), r.value())) {
                assertThat(r.partition()).as("every series of a partials message is on the partition its key picks")
                        .isEqualTo(p.series().partition(2));
            }
        }
        Map<SeriesKey, Map<Long, PartialAggregate>> merged = new HashMap<>();
        for (SeriesPartials p : partialsOfStream(partials, stream)) {
            assertThat(p.windowSizeMillis()).isEqualTo(WINDOWS.sizeMillis());
            for (WindowPartial w : p.windows()) {
                merged.computeIfAbsent(p.series(), s -> new HashMap<>())
                        .merge(w.windowStart(), w.aggregate(), PartialAggregate::merge);
            }
        }
        assertThat(merged.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((series, windows) -> {
            assertThat(merged.get(series).keySet()).as("windows of %s (seed %d)", series, seed)
                    .containsExactlyInAnyOrderElementsOf(windows.keySet());
            windows.forEach((start, values) -> assertMatches(merged.get(series).get(start), values, seed));
        });
        assertThat(meters.counter("processor.records.late").count() - lateBefore).isEqualTo(3.0);
    }

    @Test
    void shouldDeadLetterUndecodableBatchesAndStillProcessTheGoodBatchBehindThem() throws Exception {
        String stream = "dlt-" + UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();
        SeriesKey series = new SeriesKey("tenant-a", stream, "k");
        byte[] good = MicroBatchCodec.encode(new MicroBatch(UUID.randomUUID(), now,
                List.of(new SeriesPoints(series, new long[] {now - 1_000, now - 500}, new double[] {2, 4}))));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
        byte[] nextVersion = good.clone();
        nextVersion[1] = 2;

        List<RecordMetadata> sent;
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer(broker.getBrokersAsString(), "test-batcher-" + UUID.randomUUID())) {
            sent = sendCommitted(producer, List.of(
                    rawMicroBatchMessage("microbatches", 0, truncated, 1),
                    rawMicroBatchMessage("microbatches", 0, nextVersion, 2),
                    rawMicroBatchMessage("microbatches", 0, "not a batch".getBytes(StandardCharsets.UTF_8), null),
                    rawMicroBatchMessage("microbatches", 0, good, 1)));
        }

        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = committedReader(broker.getBrokersAsString(), "microbatches-dlt")) {
            pollUntil(reader, deadLetters, got -> fromOffsets(got, sent).size() >= 3, TIMEOUT);
        }
        List<ConsumerRecord<byte[], byte[]>> ours = fromOffsets(deadLetters, sent.subList(0, 3));
        assertThat(ours).extracting(r -> header(r, DeadLetterReason.HEADER))
                .containsExactly("malformed", "unsupported-version", "malformed");
        assertThat(ours).allSatisfy(r -> {
            assertThat(header(r, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo("microbatches");
            assertThat(header(r, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).isNotBlank();
        });

        List<ConsumerRecord<byte[], byte[]>> partials = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = committedReader(broker.getBrokersAsString(), "partials")) {
            pollUntil(reader, partials, got -> !partialsOfStream(got, stream).isEmpty(), TIMEOUT);
        }
        assertThat(partialsOfStream(partials, stream)).singleElement()
                .satisfies(p -> assertThat(p.windows().stream().mapToDouble(w -> w.aggregate().sum()).sum()).isEqualTo(6.0));

        TopicPartition p0 = new TopicPartition("microbatches", 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            await().atMost(TIMEOUT).untilAsserted(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets("processor")
                        .partitionsToOffsetAndMetadata().get().get(p0);
                assertThat(committed).isNotNull();
                assertThat(committed.offset()).isGreaterThan(sent.getLast().offset());
            });
        }
        assertThat(meters.counter("processor.batches.dead.lettered", "reason", "malformed").count()).isGreaterThanOrEqualTo(2.0);
        assertThat(meters.counter("processor.batches.dead.lettered", "reason", "unsupported-version").count()).isGreaterThanOrEqualTo(1.0);
    }

    private static MicroBatch toBatch(Map<SeriesKey, List<long[]>> bySeries, long createdAt) {
        List<SeriesPoints> series = new ArrayList<>();
        bySeries.forEach((key, points) -> {
            long[] ts = new long[points.size()];
            double[] values = new double[points.size()];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = points.get(i)[0];
                values[i] = Double.longBitsToDouble(points.get(i)[1]);
            }
            series.add(new SeriesPoints(key, ts, values));
        });
        return new MicroBatch(UUID.randomUUID(), createdAt, series);
    }

    private static long countOf(List<SeriesPartials> partials) {
        return partials.stream().flatMap(p -> p.windows().stream()).mapToLong(w -> w.aggregate().count()).sum();
    }

    private static void assertMatches(PartialAggregate actual, List<Double> values, long seed) {
        ExactStatistics exact = new ExactStatistics(values.stream().mapToDouble(Double::doubleValue).toArray());
        String why = "seed " + seed;
        assertThat(actual.count()).as(why).isEqualTo(exact.count());
        assertThat(actual.min()).as(why).isEqualTo(exact.min());
        assertThat(actual.max()).as(why).isEqualTo(exact.max());
        assertThat(ExactStatistics.close(exact.sum(), actual.sum(), 1e-9, exact.meanAbs() * exact.count())).as(why + " sum").isTrue();
        assertThat(ExactStatistics.close(exact.mean(), actual.mean(), 1e-9, exact.meanAbs())).as(why + " mean").isTrue();
        if (exact.count() > 1) {
            // scaled to the values' magnitude, as in pipeline-core's merge laws: a spread of 1e-3
            // around 1e9 is close to the resolution of the doubles themselves
            assertThat(ExactStatistics.close(exact.sampleStddev(), actual.sampleStddev(), 1e-9, exact.meanAbs())).as(why + " stddev").isTrue();
        }
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
            assertThat(exact.rankDistance(q, actual.quantile(q))).as(why + " p" + q).isLessThanOrEqualTo(actual.rankError());
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> fromOffsets(List<ConsumerRecord<byte[], byte[]>> deadLetters,
                                                                  List<RecordMetadata> originals) {
        return deadLetters.stream()
                .filter(r -> originals.stream().anyMatch(o -> header(r, KafkaHeaders.DLT_ORIGINAL_PARTITION) != null
                        && java.nio.ByteBuffer.wrap(r.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong() == o.offset()
                        && java.nio.ByteBuffer.wrap(r.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION).value()).getInt() == o.partition()))
                .sorted(java.util.Comparator.comparingLong(
                        r -> java.nio.ByteBuffer.wrap(r.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong()))
                .toList();
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
