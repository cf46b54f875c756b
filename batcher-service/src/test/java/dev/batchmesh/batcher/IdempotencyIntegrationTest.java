package dev.batchmesh.batcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.batcher.idempotency.IdempotencyLedger;
import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.contract.PipelineTopics;
import dev.batchmesh.core.contract.TenantHeader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Two batcher replicas (two application contexts in this JVM, different instance ids, random ports)
 * on one broker: repeats with the same Idempotency-Key add records exactly once, whichever replica
 * they reach, concurrently or after a restart. Records are counted on {@code microbatches} with a
 * read_committed consumer.
 */
@EmbeddedKafka(partitions = 6, topics = PipelineTopics.MICROBATCHES, brokerProperties = {
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1"})
class IdempotencyIntegrationTest {

    private static EmbeddedKafkaBroker broker;
    private static ConfigurableApplicationContext replicaA;
    private static ConfigurableApplicationContext replicaB;

    @BeforeAll
    static void startReplicas() {
        broker = EmbeddedKafkaCondition.getBroker();
        replicaA = start("replica-a");
        replicaB = start("replica-b");
    }

    @AfterAll
    static void stopReplicas() {
        if (replicaA != null) {
            replicaA.close();
        }
        if (replicaB != null) {
            replicaB.close();
        }
    }

    @Test
    void shouldReplayARepeatOnTheOtherReplicaAndAddNothing() {
        String stream = newStream();
        String body = records(3);

        post(replicaA, stream, "order-1", body).expectStatus().isAccepted()
                .expectHeader().doesNotExist("Idempotent-Replayed")
                .expectBody().json("{\"accepted\":3}", true);
        post(replicaB, stream, "order-1", body).expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().json("{\"accepted\":3}", true);
        post(replicaA, stream, "order-1", body).expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true");
        post(replicaB, stream, "order-1", records(4)).expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.IDEMPOTENCY_KEY_REUSED.toString());
        // same key and body, another stream: another request
        post(replicaB, newStream(), "order-1", body).expectStatus().isEqualTo(422);

        assertThat(countRecords(stream, 3)).isEqualTo(3);
    }

    @Test
    void shouldAcceptConcurrentRepeatsOnBothReplicasExactlyOnce() {
        String stream = newStream();
        String body = records(5);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        List<CompletableFuture<Outcome>> outcomes = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    EntityExchangeResult<String> result = post(i % 2 == 0 ? replicaA : replicaB, stream, "burst", body)
                            .expectBody(String.class).returnResult();
                    return new Outcome(result.getStatus().value(), result.getResponseHeaders().getFirst("Idempotent-Replayed"),
                            result.getResponseBody());
                }, clients))
                .toList();
        List<Outcome> answers = outcomes.stream().map(CompletableFuture::join).toList();
        clients.shutdown();

        assertThat(answers).filteredOn(a -> a.status() == 202 && a.replayed() == null).as("original acceptances").hasSize(1);
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).isIn(202, 409);
            if (a.status() == 202) {
                assertThat(a.body()).contains("\"accepted\":5");
            } else {
                assertThat(a.body()).contains(ProblemTypes.IDEMPOTENCY_CONFLICT.toString());
            }
        });
        assertThat(countRecords(stream, 5)).isEqualTo(5);
    }

    @Test
    void shouldStillReplayAfterTheReplicaThatAcceptedRestarted() {
        String stream = newStream();
        String body = records(2);
        ConfigurableApplicationContext restarting = start("replica-c");
        try {
            post(restarting, stream, "before-restart", body).expectStatus().isAccepted()
                    .expectHeader().doesNotExist("Idempotent-Replayed");
        } finally {
            restarting.close();
        }

        ConfigurableApplicationContext restarted = start("replica-c");
        try {
            post(restarted, stream, "before-restart", body).expectStatus().isAccepted()
                    .expectHeader().valueEquals("Idempotent-Replayed", "true")
                    .expectBody().json("{\"accepted\":2}", true);
        } finally {
            restarted.close();
        }
        assertThat(countRecords(stream, 2)).isEqualTo(2);
    }

    @Test
    void shouldStoreNothingUnderTheKeyOfARejectedRequest() {
        String stream = newStream();

        post(replicaA, stream, "first-try-bad", "[{\"key\":\"a\"}]").expectStatus().isBadRequest();
        client(replicaA).post().uri("/v1/streams/{stream}/records", stream).header(TenantHeader.NAME, "acme")
                .header("Idempotency-Key", "first-try-bad").contentType(MediaType.TEXT_PLAIN).bodyValue("a 1")
                .exchange().expectStatus().isEqualTo(415);
        post(replicaB, stream, "first-try-bad", records(2)).expectStatus().isAccepted()
                .expectHeader().doesNotExist("Idempotent-Replayed");
        client(replicaB).post().uri("/v1/streams/{stream}/records", stream).header(TenantHeader.NAME, "acme")
                .header("Idempotency-Key", "x".repeat(256)).contentType(MediaType.APPLICATION_JSON).bodyValue(records(1))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.INVALID_PARAMETER.toString());

        assertThat(countRecords(stream, 2)).isEqualTo(2);
    }

    private record Outcome(int status, String replayed, String body) {
    }

    /**
     * Each replica gets its own Reactor Netty event loops: with Boot's default (global resources) the
     * first context to close would dispose the loops the other replicas' servers still run on. A source
     * of the application, deliberately not annotated: component scanning must not find it for other tests.
     */
    static class OwnNettyResources {

        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        }
    }

    private static ConfigurableApplicationContext start(String instance) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(BatcherServiceApplication.class, OwnNettyResources.class).run(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0",
                "--management.server.port=0",
                "--spring.jmx.enabled=false",
                "--batcher.instance-id=" + instance);
        IdempotencyLedger ledger = context.getBean(IdempotencyLedger.class);
        await().atMost(Duration.ofSeconds(30)).until(ledger::isCaughtUp);
        return context;
    }

    private static WebTestClient client(ConfigurableApplicationContext replica) {
        int port = ((ReactiveWebServerApplicationContext) replica).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }

    private static WebTestClient.ResponseSpec post(ConfigurableApplicationContext replica, String stream, String key, String body) {
        return client(replica).post().uri("/v1/streams/{stream}/records", stream).header(TenantHeader.NAME, "acme")
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange();
    }

    private static String newStream() {
        return "idem-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String records(int n) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\":\"k").append(i % 2).append("\",\"value\":").append(i).append('}');
        }
        return body.append(']').toString();
    }

    /**
     * Committed records of the stream on {@code microbatches}: polls until {@code expected} are seen,
     * then keeps polling for another second so a surplus would be counted too.
     */
    private static int countRecords(String stream, int expected) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, 6).mapToObj(p -> new TopicPartition(PipelineTopics.MICROBATCHES, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int[] seen = {0};
            Runnable pollOnce = () -> {
                for (ConsumerRecord<byte[], byte[]> message : consumer.poll(Duration.ofMillis(100))) {
                    for (SeriesPoints series : MicroBatchCodec.decode(message.value()).series()) {
                        if (series.series().stream().equals(stream)) {
                            seen[0] += series.size();
                        }
                    }
                }
            };
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                pollOnce.run();
                return seen[0] >= expected;
            });
            long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < until) {
                pollOnce.run();
            }
            return seen[0];
        }
    }
}
