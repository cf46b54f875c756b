package dev.batchmesh.batcher.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.batcher.PublishGate;
import dev.batchmesh.batcher.batching.CyclePublisher;
import dev.batchmesh.batcher.batching.FlushCycle;
import dev.batchmesh.batcher.batching.PartitionBuffer;
import dev.batchmesh.batcher.batching.SeriesColumn;
import dev.batchmesh.batcher.config.BatcherProperties;
import dev.batchmesh.batcher.config.BatchingConfig;
import dev.batchmesh.batcher.config.IngestConfig;
import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.core.contract.TenantHeader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** The HTTP contract of the ingest endpoint, with the real parser and batching and an in-memory publisher. */
@WebFluxTest(controllers = IngestController.class, properties = {
        "batcher.ingest.max-body-size=8KB",
        "batcher.buffer.max-bytes=2KB",
        "batcher.batch.linger=PT0.001S",
        "batcher.buffer.max-wait=PT0.3S",
        "batcher.publish.timeout=PT2S"})
@EnableConfigurationProperties(BatcherProperties.class)
@Import({IngestConfig.class, BatchingConfig.class, IngestControllerTest.InMemoryPublisher.class})
class IngestControllerTest {

    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

    @Autowired
    private WebTestClient client;

    @Autowired
    private InMemoryPublisher publisher;

    @Autowired
    private MeterRegistry registry;

    @Autowired
    private dev.batchmesh.batcher.batching.CycleAccumulator accumulator;

    @AfterEach
    void reset() {
        publisher.failure = null;
        publisher.gate.countDown();
        publisher.gate = new CountDownLatch(0);
        publisher.cycles.clear();
    }

    @Test
    void shouldAnswer202WithTheAcceptedCountOnceTheCycleIsPublished() {
        post("/v1/streams/checkout.latency/records", MediaType.APPLICATION_JSON,
                "[{\"key\":\"eu-1\",\"value\":12.5},{\"key\":\"eu-2\",\"value\":3},{\"key\":\"eu-1\",\"value\":7}]")
                .expectStatus().isAccepted()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().json("{\"accepted\":3}", true);

        assertThat(publisher.values("acme", "checkout.latency", "eu-1")).containsExactly(12.5, 7.0);
        assertThat(publisher.values("acme", "checkout.latency", "eu-2")).containsExactly(3.0);
        assertThat(registry.get("batcher.records.accepted").counter().count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldAcceptNdjsonAndAnExplicitUtf8Charset() {
        post("/v1/streams/s/records", MediaType.parseMediaType("application/x-ndjson;charset=UTF-8"),
                "{\"key\":\"a\",\"value\":1}\n\n{\"key\":\"b\",\"value\":2}\n")
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.accepted").isEqualTo(2);
        post("/v1/streams/s/records", MediaType.parseMediaType("application/json; charset=utf-8"), "[{\"key\":\"a\",\"value\":1}]")
                .expectStatus().isAccepted();
    }

    @Test
    void shouldAcceptAStreamNameWithDots() {
        post("/v1/streams/a..b/records", MediaType.APPLICATION_JSON, "[{\"key\":\"a\",\"value\":1}]").expectStatus().isAccepted();
    }

    @Test
    void shouldAnswer401WithoutTheTenantHeader() {
        client.post().uri("/v1/streams/s/records").contentType(MediaType.APPLICATION_JSON).bodyValue("[{\"key\":\"a\",\"value\":1}]")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(PROBLEM)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.UNAUTHENTICATED.toString());
        assertThat(publisher.cycles).isEmpty();
    }

    @Test
    void shouldAnswer401ForAnInvalidTenantHeader() {
        client.post().uri("/v1/streams/s/records").header(TenantHeader.NAME, "not a tenant").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"key\":\"a\",\"value\":1}]")
                .exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void shouldAnswer415ForPlainText() {
        post("/v1/streams/s/records", MediaType.TEXT_PLAIN, "[{\"key\":\"a\",\"value\":1}]")
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentTypeCompatibleWith(PROBLEM)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.UNSUPPORTED_MEDIA_TYPE.toString());
    }

    @Test
    void shouldAnswer415ForACharsetOtherThanUtf8() {
        post("/v1/streams/s/records", MediaType.parseMediaType("application/json;charset=ISO-8859-1"), "[{\"key\":\"a\",\"value\":1}]")
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.UNSUPPORTED_MEDIA_TYPE.toString());
    }

    @Test
    void shouldAnswer415WithoutAContentType() {
        client.post().uri("/v1/streams/s/records").header(TenantHeader.NAME, "acme")
                .bodyValue("[{\"key\":\"a\",\"value\":1}]".getBytes(StandardCharsets.UTF_8))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void shouldAnswer413ForABodyOverTheLimit() {
        post("/v1/streams/s/records", MediaType.APPLICATION_JSON, records(400))
                .expectStatus().isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE)
                .expectHeader().contentTypeCompatibleWith(PROBLEM)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.PAYLOAD_TOO_LARGE.toString());
    }

    @Test
    void shouldAnswer413ForAStreamedBodyOverTheLimitWithoutContentLength() {
        DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;
        byte[] chunk = "{\"key\":\"a\",\"value\":1}\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        Flux<DataBuffer> body = Flux.range(0, 20).map(i -> buffers.wrap(chunk));

        client.post().uri("/v1/streams/s/records").header(TenantHeader.NAME, "acme").contentType(MediaType.APPLICATION_NDJSON)
                .body(body, DataBuffer.class)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.PAYLOAD_TOO_LARGE.toString());
    }

    @Test
    void shouldAnswer400ForAStreamNameOf65Characters() {
        post("/v1/streams/" + "s".repeat(65) + "/records", MediaType.APPLICATION_JSON, "[{\"key\":\"a\",\"value\":1}]")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.INVALID_PARAMETER.toString());
        post("/v1/streams/" + "s".repeat(64) + "/records", MediaType.APPLICATION_JSON, "[{\"key\":\"a\",\"value\":1}]")
                .expectStatus().isAccepted();
    }

    @Test
    void shouldAnswer400ForAnEncodedSlashInTheStreamName() {
        client.post().uri(URI.create("/v1/streams/a%2Fb/records")).header(TenantHeader.NAME, "acme")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("[{\"key\":\"a\",\"value\":1}]")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.INVALID_PARAMETER.toString());
    }

    @Test
    void shouldAnswer400WithTheIndexAndReasonOfEveryBadRecord() {
        post("/v1/streams/s/records", MediaType.APPLICATION_JSON,
                "[{\"key\":\"a\",\"value\":1},{\"key\":\"\",\"value\":1},{\"key\":\"c\",\"value\":\"x\"}]")
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(PROBLEM)
                .expectBody()
                .jsonPath("$.type").isEqualTo(ProblemTypes.INVALID_RECORDS.toString())
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.detail").isEqualTo("2 of 3 records are invalid; nothing was accepted")
                .jsonPath("$.errors[0].index").isEqualTo(1)
                .jsonPath("$.errors[0].reason").isEqualTo("key is empty")
                .jsonPath("$.errors[1].index").isEqualTo(2)
                .jsonPath("$.errors[1].reason").isEqualTo("value must be a number");
        assertThat(publisher.cycles).as("a request is rejected whole").isEmpty();
    }

    @Test
    void shouldAnswer400ForMalformedJsonWithoutAStackTrace() {
        post("/v1/streams/s/records", MediaType.APPLICATION_JSON, "[{\"key\":\"a\",\"value\":1")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo(ProblemTypes.MALFORMED_BODY.toString())
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("line 1").doesNotContain("at tools.jackson"))
                .jsonPath("$.trace").doesNotExist();
    }

    @Test
    void shouldAnswer400ForAnEmptyBody() {
        post("/v1/streams/s/records", MediaType.APPLICATION_JSON, "")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo(ProblemTypes.INVALID_RECORDS.toString())
                .jsonPath("$.detail").isEqualTo("the request holds no records");
    }

    @Test
    void shouldAnswerProblemDetailsForUnknownRoutesAndMethods() {
        client.get().uri("/v1/nothing/here").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(PROBLEM)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.NOT_FOUND.toString());
        client.get().uri("/v1/streams/s/records").header(TenantHeader.NAME, "acme").exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().contentTypeCompatibleWith(PROBLEM)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.METHOD_NOT_ALLOWED.toString());
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheCycleCannotBePublished() {
        publisher.failure = new IllegalStateException("broker unreachable at 10.0.0.7");

        post("/v1/streams/s/records", MediaType.APPLICATION_JSON, "[{\"key\":\"a\",\"value\":1}]")
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().exists("Retry-After")
                .expectHeader().contentTypeCompatibleWith(PROBLEM)
                .expectBody()
                .jsonPath("$.type").isEqualTo(ProblemTypes.UNAVAILABLE.toString())
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).doesNotContain("10.0.0.7"));
    }

    @Test
    void shouldAnswer503WithinTheMaxWaitWhenTheBufferStaysFull() throws Exception {
        publisher.entered.drainPermits();
        publisher.gate = new CountDownLatch(1);
        String hundredRecords = records(100);
        // The first request (about 1.1 KB estimated of the 2 KB buffer) waits in a cycle the publisher holds.
        CompletableFuture<HttpStatusCode> first = CompletableFuture.supplyAsync(() -> post("/v1/streams/s/records", MediaType.APPLICATION_JSON,
                hundredRecords).returnResult(String.class).getStatus());
        assertThat(publisher.entered.tryAcquire(5, TimeUnit.SECONDS)).as("first cycle reached the publisher").isTrue();

        long started = System.nanoTime();
        post("/v1/streams/s/records", MediaType.APPLICATION_JSON, hundredRecords)
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals("Retry-After", "1")
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.UNAVAILABLE.toString());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited max-wait (0.3 s), not the publisher")
                .isBetween(Duration.ofMillis(250), Duration.ofMillis(1500));
        assertThat(accumulator.waitingRequests()).as("the refused request left the queue").isZero();

        publisher.gate.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(registry.get("batcher.records.rejected").tag("reason", "buffer_full").counter().count()).isEqualTo(100);
    }

    @Test
    void shouldAdmitAWaitingRequestWhenTheBufferDrainsWithinTheMaxWait() throws Exception {
        publisher.entered.drainPermits();
        publisher.gate = new CountDownLatch(1);
        String hundredRecords = records(100);
        CompletableFuture<HttpStatusCode> first = CompletableFuture.supplyAsync(() -> post("/v1/streams/s/records", MediaType.APPLICATION_JSON,
                hundredRecords).returnResult(String.class).getStatus());
        assertThat(publisher.entered.tryAcquire(5, TimeUnit.SECONDS)).as("first cycle reached the publisher").isTrue();
        // Its own thread: the common pool may have a single worker, busy with the first request.
        CompletableFuture<HttpStatusCode> second = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> second.complete(post("/v1/streams/s/records", MediaType.APPLICATION_JSON,
                hundredRecords).returnResult(String.class).getStatus()));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> accumulator.waitingRequests() == 1);

        publisher.gate.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(publisher.values("acme", "s", "k")).hasSize(200);
    }

    @Test
    void shouldAnswer400ForAnInvalidIdempotencyKeyBeforeReadingTheBody() {
        client.post().uri("/v1/streams/s/records").header(TenantHeader.NAME, "acme").header("Idempotency-Key", "caf\u00e9 \t")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("[{\"key\":\"a\",\"value\":1}]")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(PROBLEM)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.INVALID_PARAMETER.toString());
        client.post().uri("/v1/streams/s/records").header(TenantHeader.NAME, "acme").header("Idempotency-Key", "x".repeat(256))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("[{\"key\":\"a\",\"value\":1}]")
                .exchange()
                .expectStatus().isBadRequest();
        assertThat(publisher.cycles).isEmpty();
    }

    private WebTestClient.ResponseSpec post(String uri, MediaType type, String body) {
        return client.post().uri(uri).header(TenantHeader.NAME, "acme").contentType(type)
                .bodyValue(body.getBytes(StandardCharsets.UTF_8))
                .exchange();
    }

    private static String records(int n) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\":\"k\",\"value\":").append(i).append('}');
        }
        return body.append(']').toString();
    }

    /** Keeps published cycles in memory; can fail or hold publication to test the error paths. */
    @TestConfiguration(proxyBeanMethods = false)
    static class InMemoryPublisher implements CyclePublisher {

        final List<FlushCycle> cycles = new CopyOnWriteArrayList<>();
        volatile RuntimeException failure;
        volatile CountDownLatch gate = new CountDownLatch(0);
        final Semaphore entered = new Semaphore(0);

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Override
        public int partitionCount() {
            return 6;
        }

        @Override
        public void publish(FlushCycle cycle) {
            PublishGate.pass(entered, gate, Duration.ofSeconds(10));
            if (failure != null) {
                throw failure;
            }
            cycles.add(cycle);
        }

        List<Double> values(String tenant, String stream, String key) {
            List<Double> values = new ArrayList<>();
            for (FlushCycle cycle : cycles) {
                for (PartitionBuffer buffer : cycle.partitionBuffers()) {
                    buffer.groups().entrySet().stream()
                            .filter(e -> e.getKey().tenant().equals(tenant) && e.getKey().stream().equals(stream))
                            .map(Map.Entry::getValue)
                            .map(series -> series.get(key))
                            .filter(Objects::nonNull)
                            .forEach((SeriesColumn column) -> {
                                for (int i = 0; i < column.size(); i++) {
                                    values.add(column.values()[i]);
                                }
                            });
                }
            }
            return values;
        }
    }
}
