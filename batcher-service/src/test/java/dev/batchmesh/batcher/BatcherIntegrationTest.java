package dev.batchmesh.batcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.contract.PipelineTopics;
import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.core.contract.TenantHeader;
import dev.batchmesh.core.series.SeriesKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Records posted over HTTP come back from {@code microbatches} through a read_committed consumer. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedKafka(partitions = 6, topics = PipelineTopics.MICROBATCHES, brokerProperties = {
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1"})
class BatcherIntegrationTest {

    private static final int PARTITIONS = 6;

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private MeterRegistry registry;

    private WebTestClient client;
    private KafkaConsumer<byte[], byte[]> consumer;

    @BeforeEach
    void connect() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(PipelineTopics.MICROBATCHES, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    @Test
    void shouldPublishPostedRecordsAsCommittedMicroBatchesOnTheSeriesPartition() {
        String stream = "it-" + UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();
        StringBuilder body = new StringBuilder();
        Map<String, List<Double>> posted = new HashMap<>();
        Map<String, List<Long>> postedTs = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            String key = "host-" + (i % 23);
            double value = i * 0.5 - 17;
            long ts = now - 1000 + i;
            body.append("{\"key\":\"").append(key).append("\",\"value\":").append(value).append(",\"ts\":").append(ts).append("}\n");
            posted.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            postedTs.computeIfAbsent(key, k -> new ArrayList<>()).add(ts);
        }
        long commitsBefore = registry.get("batcher.publish.latency").timer().count();

        client.post().uri("/v1/streams/{stream}/records", stream).header(TenantHeader.NAME, "acme")
                .contentType(MediaType.APPLICATION_NDJSON).bodyValue(body.toString())
                .exchange()
                .expectStatus().isAccepted()
                .expectBody().json("{\"accepted\":300}", true);

        assertThat(registry.get("batcher.publish.latency").timer().count())
                .as("the transaction committed before the 202 was sent").isGreaterThan(commitsBefore);
        List<ConsumerRecord<byte[], byte[]>> messages = readUntil(stream, 300);

        Map<String, List<Double>> values = new HashMap<>();
        Map<String, List<Long>> timestamps = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> message : messages) {
            assertThat(message.key()).isNull();
            assertThat(lastHeader(message, PipelineTopics.FORMAT_VERSION_HEADER)).containsExactly(MicroBatchCodec.CURRENT_VERSION);
            MicroBatch batch = MicroBatchCodec.decode(message.value());
            assertThat(lastHeader(message, PipelineTopics.BATCH_ID_HEADER)).isEqualTo(idBytes(batch.id()));
            assertThat(batch.createdAt()).isBetween(now - 5_000, System.currentTimeMillis());
            for (SeriesPoints series : batch.series()) {
                if (!series.series().stream().equals(stream)) {
                    continue;
                }
                assertThat(series.series().tenant()).isEqualTo("acme");
                assertThat(message.partition()).as("partition of %s", series.series()).isEqualTo(series.series().partition(PARTITIONS));
                for (int i = 0; i < series.size(); i++) {
                    values.computeIfAbsent(series.series().key(), k -> new ArrayList<>()).add(series.values()[i]);
                    timestamps.computeIfAbsent(series.series().key(), k -> new ArrayList<>()).add(series.timestamps()[i]);
                }
            }
        }
        assertThat(values).isEqualTo(posted);
        assertThat(timestamps).isEqualTo(postedTs);
    }

    @Test
    void shouldCommitEveryRequestOfConcurrentClientsExactlyOnce() {
        String stream = "it-" + UUID.randomUUID().toString().substring(0, 8);
        int requests = 40;
        List<CompletableFuture<Void>> calls = IntStream.range(0, requests).mapToObj(r -> CompletableFuture.runAsync(() -> {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 25; i++) {
                body.append(i == 0 ? "" : ",").append("{\"key\":\"r").append(r).append("-k").append(i % 3).append("\",\"value\":").append(i).append('}');
            }
            client.post().uri("/v1/streams/{stream}/records", stream).header(TenantHeader.NAME, "acme")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body.append(']').toString())
                    .exchange()
                    .expectStatus().isAccepted()
                    .expectBody().jsonPath("$.accepted").isEqualTo(25);
        })).toList();
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();

        List<ConsumerRecord<byte[], byte[]>> messages = readUntil(stream, requests * 25);

        Map<SeriesKey, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> message : messages) {
            for (SeriesPoints series : MicroBatchCodec.decode(message.value()).series()) {
                if (!series.series().stream().equals(stream)) {
                    continue;
                }
                assertThat(message.partition()).isEqualTo(series.series().partition(PARTITIONS));
                counts.merge(series.series(), series.size(), Integer::sum);
            }
        }
        assertThat(counts).hasSize(requests * 3);
        assertThat(counts).allSatisfy((series, n) -> assertThat(n).isBetween(8, 9));
    }

    @Test
    void shouldAnswer413OverRealHttpForABodyOverTheDefaultLimit() {
        byte[] body = new byte[4 * 1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');
        body[0] = '[';
        body[body.length - 1] = ']';

        client.post().uri("/v1/streams/big/records").header(TenantHeader.NAME, "acme")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.PAYLOAD_TOO_LARGE.toString());
    }

    @Test
    void shouldExposeMetricsAndProbesOnTheManagementPortOnly() {
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://localhost:" + managementPort).build();
        client.post().uri("/v1/streams/metrics/records").header(TenantHeader.NAME, "acme")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("[{\"key\":\"a\",\"value\":1}]")
                .exchange()
                .expectStatus().isAccepted();

        management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        management.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(text -> assertThat(text)
                        .contains("batcher_records_accepted_total")
                        // Kafka's own producer metrics, bound to the batcher's producer factory
                        .contains("kafka_producer_record_send_total")
                        .contains("batcher_records_rejected_total{")
                        .contains("batcher_requests_rejected_total{")
                        .contains("batcher_batch_records_count")
                        .contains("batcher_batch_bytes_count")
                        .contains("batcher_publish_latency_seconds_count")
                        .contains("batcher_buffer_bytes")
                        .contains("batcher_idempotency_replays_total")
                        .contains("batcher_idempotency_conflicts_total{")
                        .contains("batcher_idempotency_keys")
                        .doesNotContain("stream=\"metrics\""));
        client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /**
     * Polls with read_committed until the stream's messages hold {@code records} records, then polls
     * once more to catch any surplus; returns only the messages that hold records of the stream.
     */
    private List<ConsumerRecord<byte[], byte[]>> readUntil(String stream, int records) {
        List<ConsumerRecord<byte[], byte[]>> messages = new ArrayList<>();
        int[] seen = {0};
        Runnable pollOnce = () -> {
            for (ConsumerRecord<byte[], byte[]> message : consumer.poll(Duration.ofMillis(200))) {
                int mine = MicroBatchCodec.decode(message.value()).series().stream()
                        .filter(s -> s.series().stream().equals(stream)).mapToInt(SeriesPoints::size).sum();
                if (mine > 0) {
                    messages.add(message);
                    seen[0] += mine;
                }
            }
        };
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            pollOnce.run();
            return seen[0] >= records;
        });
        pollOnce.run();
        assertThat(seen[0]).as("records of %s read back", stream).isEqualTo(records);
        return messages;
    }

    private static byte[] lastHeader(ConsumerRecord<byte[], byte[]> message, String name) {
        Header header = message.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return header.value();
    }

    private static byte[] idBytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }
}
