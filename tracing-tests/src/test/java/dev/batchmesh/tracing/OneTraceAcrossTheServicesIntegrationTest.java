package dev.batchmesh.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.aggregator.AggregatorServiceApplication;
import dev.batchmesh.batcher.BatcherServiceApplication;
import dev.batchmesh.gateway.GatewayServiceApplication;
import dev.batchmesh.processor.ProcessorServiceApplication;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The four services, each its own Spring application with an in-memory span exporter, against an
 * in-process Kafka broker. Two ingest requests, each arriving with its own W3C trace context,
 * land in one micro-batch: the trace of one runs unbroken from the gateway through Kafka to the
 * aggregator's merge, and the batch's span links to the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class OneTraceAcrossTheServicesIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private EmbeddedKafkaKraftBroker broker;
    private ServiceInstance aggregator;
    private ServiceInstance processor;
    private ServiceInstance batcher;
    private ServiceInstance gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startSuite() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, 6);
        broker.brokerProperties(Map.of(
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        String kafka = "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString();
        // Each service's debug line for the request, batch or partials it handles, to find in the JSON logs.
        String debug = "--logging.level.dev.batchmesh=DEBUG";
        // Spring Cloud Gateway's auto-configuration sees the shared classpath: only the gateway routes.
        String notAGateway = "--spring.cloud.gateway.server.webflux.enabled=false";
        Path work = Files.createTempDirectory("batchmesh-tracing");
        aggregator = ServiceInstance.start("aggregator", AggregatorServiceApplication.class, work, kafka, notAGateway, debug,
                "--aggregator.state-dir=" + work.resolve("aggregator-state"));
        processor = ServiceInstance.start("processor", ProcessorServiceApplication.class, work, kafka, notAGateway, debug);
        // A long linger so that both requests of the test land in one flush cycle.
        batcher = ServiceInstance.start("batcher", BatcherServiceApplication.class, work, kafka, notAGateway, debug,
                "--batcher.batch.linger=PT0.5S");
        gateway = ServiceInstance.start("gateway", GatewayServiceApplication.class, work, debug,
                "--gateway.backends.batcher-uri=" + batcher.url(),
                "--gateway.backends.aggregator-uri=" + aggregator.url());
    }

    @AfterAll
    void stopSuite() {
        for (ServiceInstance service : new ServiceInstance[] {gateway, batcher, processor, aggregator}) {
            if (service != null) {
                service.close();
            }
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    @Test
    void anIngestRequestsTraceReachesAllFourServicesAndItsBatchLinksTheOtherRequests(CapturedOutput output) {
        String first = newTraceId();
        String second = newTraceId();
        CompletableFuture<HttpResponse<String>> one = ingest(first);
        CompletableFuture<HttpResponse<String>> two = ingest(second);
        assertThat(one.join().statusCode()).as(one.join().body()).isEqualTo(202);
        assertThat(two.join().statusCode()).as(two.join().body()).isEqualTo(202);

        SpanData batch = await().atMost(PATIENCE).until(() -> batcher.finishedSpans().stream()
                .filter(span -> span.getName().equals("publish microbatches"))
                .filter(span -> span.getTraceId().equals(first) || span.getTraceId().equals(second))
                .findFirst(), Optional::isPresent).orElseThrow();
        String carried = batch.getTraceId();
        String linked = carried.equals(first) ? second : first;
        assertThat(carried).isIn(first, second);
        assertThat(batch.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(batch.getLinks()).extracting(LinkData::getSpanContext).anySatisfy(link -> assertThat(link.getTraceId()).isEqualTo(linked));

        // The batch's parent is the batcher's server span of the carried request, whose parent the gateway sent.
        SpanData batcherServer = spanWithId(batcher, batch.getParentSpanId());
        assertThat(batcherServer.getKind()).isEqualTo(SpanKind.SERVER);
        SpanData gatewayClient = spanWithId(gateway, batcherServer.getParentSpanId());
        assertThat(gatewayClient.getTraceId()).isEqualTo(carried);
        assertThat(gateway.finishedSpans()).extracting(SpanData::getTraceId).contains(first, second);

        // Through Kafka: the processor's span for the micro-batch is the batch span's child, and the
        // aggregator's merge of its partials is the processor span's child.
        SpanData processing = await().atMost(PATIENCE)
                .until(() -> processor.finishedSpans().stream().filter(s -> s.getParentSpanId().equals(batch.getSpanId())).findFirst(),
                        Optional::isPresent).orElseThrow();
        assertThat(processing.getTraceId()).isEqualTo(carried);
        SpanData merge = await().atMost(PATIENCE)
                .until(() -> aggregator.finishedSpans().stream().filter(s -> s.getParentSpanId().equals(processing.getSpanId())).findFirst(),
                        Optional::isPresent).orElseThrow();
        assertThat(merge.getName()).isEqualTo("merge partials");
        assertThat(merge.getTraceId()).isEqualTo(carried);

        for (ServiceInstance service : List.of(gateway, batcher, processor, aggregator)) {
            assertThat(service.finishedSpans()).as(service.name()).extracting(SpanData::getTraceId).contains(carried);
        }

        // The JSON log lines written inside those spans carry their trace and span ids.
        assertThat(logLine(output, "dev.batchmesh.batcher.ingest.IngestController", batcherServer.getSpanId()))
                .containsEntry("traceId", carried);
        assertThat(logLine(output, "dev.batchmesh.processor.processing.MicroBatchListener", processing.getSpanId()))
                .containsEntry("traceId", carried);
        assertThat(logLine(output, "dev.batchmesh.aggregator.merge.WindowMergeProcessor", merge.getSpanId()))
                .containsEntry("traceId", carried);
    }

    @Test
    void aRequestArrivingWithEnvoysB3HeadersContinuesThatTrace() {
        String traceId = newTraceId();
        HttpRequest request = ingestRequest()
                .header("X-B3-TraceId", traceId)
                .header("X-B3-SpanId", HexFormat.of().formatHex(randomBytes(8)))
                .header("X-B3-Sampled", "1")
                .build();

        HttpResponse<String> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        for (ServiceInstance service : List.of(gateway, batcher)) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(service.finishedSpans()).as(service.name())
                    .anySatisfy(span -> {
                        assertThat(span.getTraceId()).isEqualTo(traceId);
                        assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
                    }));
        }
    }

    /** The fields of the first JSON log line of {@code logger} written inside the span {@code spanId}. */
    private static Map<String, Object> logLine(CapturedOutput output, String logger, String spanId) {
        JsonMapper json = JsonMapper.builder().build();
        return output.getOut().lines()
                .filter(line -> line.startsWith("{") && line.contains(logger))
                .map(line -> json.readValue(line, new TypeReference<Map<String, Object>>() { }))
                .filter(fields -> spanId.equals(fields.get("spanId")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no JSON log line of " + logger + " carries spanId " + spanId));
    }

    private CompletableFuture<HttpResponse<String>> ingest(String traceId) {
        String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
        return http.sendAsync(ingestRequest().header("traceparent", traceparent).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder ingestRequest() {
        return HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/streams/traced/records"))
                .header("Authorization", "Bearer dev-key")
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"checkout\",\"value\":12.5}\n{\"key\":\"checkout\",\"value\":20}\n"))
                .timeout(PATIENCE);
    }

    private static SpanData spanWithId(ServiceInstance service, String spanId) {
        return await().atMost(PATIENCE)
                .until(() -> service.finishedSpans().stream().filter(span -> span.getSpanId().equals(spanId)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static String newTraceId() {
        return HexFormat.of().formatHex(randomBytes(16));
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
