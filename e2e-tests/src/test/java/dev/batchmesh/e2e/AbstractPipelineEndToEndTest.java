package dev.batchmesh.e2e;

import static dev.batchmesh.e2e.support.GatewayClient.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.core.testing.ExactStatistics;
import dev.batchmesh.e2e.support.GatewayClient;
import dev.batchmesh.e2e.support.GatewayClient.Answer;
import dev.batchmesh.e2e.support.OpenApiContract;
import dev.batchmesh.e2e.support.PipelineCluster;
import dev.batchmesh.e2e.support.Workload;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole pipeline through the gateway: the four services as separate processes against a real
 * Kafka broker supplied by the subclass. 100,000 records over 120 keys and 12 windows go in; every
 * window read back must equal an independent computation made by the test itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AbstractPipelineEndToEndTest {

    static final String STREAM = "checkout.latency";
    static final long WINDOW = 10_000;
    static final int RECORDS = 100_000;
    static final int KEYS = 120;
    static final int WINDOWS = 12;
    static final double RELATIVE = 1e-9;

    private PipelineCluster cluster;
    private GatewayClient client;
    private OpenApiContract contract;
    private Workload workload;
    private long from;
    private long to;
    private boolean failed = true;

    /** A running broker's bootstrap servers; called once before the services start. */
    abstract String bootstrapServers() throws Exception;

    /** Stops the broker; called once after the services stopped. */
    abstract void stopBroker();

    @BeforeAll
    void startSuite() throws Exception {
        String bootstrap = bootstrapServers();
        PipelineCluster.createTopics(bootstrap);
        Path logDir = Path.of(System.getProperty("batchmesh.e2e.logs", "target/e2e-logs")).resolve(getClass().getSimpleName());
        cluster = new PipelineCluster(bootstrap, Files.createTempDirectory("batchmesh-e2e"), logDir);
        cluster.start();
        contract = OpenApiContract.load();
        client = new GatewayClient(cluster.gateway(), contract);
        long now = System.currentTimeMillis();
        long currentWindow = Math.floorDiv(now, WINDOW) * WINDOW;
        from = currentWindow - (WINDOWS - 1) * WINDOW;
        to = currentWindow + WINDOW;
        // Records up to the current window's start so none lies in the future of its arrival.
        workload = new Workload(42, RECORDS, KEYS, from - WINDOW, WINDOWS, WINDOW);
        from -= WINDOW;
    }

    @AfterAll
    void stopSuite() throws Exception {
        if (failed && cluster != null) {
            System.err.println("Service logs after a failure:" + cluster.logTails(80));
        }
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            stopBroker();
        }
    }

    @Test
    @Order(1)
    void shouldAcceptEveryRequestAfterKafkaAcknowledgedIt() throws Exception {
        List<Workload.Body> bodies = workload.bodies(1_000);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Answer>> answers = new ArrayList<>();
            for (Workload.Body body : bodies) {
                answers.add(pool.submit(() -> client.ingest(PipelineCluster.DEV_KEY, STREAM, body.contentType(), body.text())));
            }
            for (int i = 0; i < answers.size(); i++) {
                Answer answer = answers.get(i).get(120, TimeUnit.SECONDS);
                assertThat(answer.status()).as("request %d: %s", i, answer.body()).isEqualTo(202);
                assertThat(answer.body().path("accepted").asInt()).isEqualTo(bodies.get(i).records());
            }
        }
        failed = false;
    }

    @Test
    @Order(2)
    void shouldMakeEveryAcceptedRecordVisibleExactlyOnce() {
        failed = true;
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Answer summary = client.get(PipelineCluster.DEV_KEY, STREAM, "summary", range(from, to));
            assertThat(summary.status()).isEqualTo(200);
            assertThat(summary.body().path("count").asLong()).isEqualTo(RECORDS);
        });
        failed = false;
    }

    @Test
    @Order(3)
    void shouldAnswerEveryBaseWindowOfEveryKeyLikeAnIndependentComputation() throws Exception {
        failed = true;
        Map<String, Map<Long, List<Double>>> expected = workload.byKeyAndWindow(WINDOW);
        QuantileTally tally = new QuantileTally();
        assertThat(expected).hasSize(KEYS);
        for (var byKey : expected.entrySet()) {
            Answer answer = client.get(PipelineCluster.DEV_KEY, STREAM, "aggregates", query("key", byKey.getKey(),
                    "from", Long.toString(from), "to", Instant.ofEpochMilli(to).toString()));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("step").asString()).isEqualTo("PT10S");
            assertWindows(byKey.getKey(), WINDOW, answer.body().path("windows"), byKey.getValue(), tally);
        }
        tally.assertWithinRankError();
        failed = false;
    }

    @Test
    @Order(4)
    void shouldMergeWindowsForCoarserStepsFromMergedSketches() throws Exception {
        failed = true;
        QuantileTally tally = new QuantileTally();
        for (String step : List.of("PT30S", "PT1M", "PT2M")) {
            long stepMillis = Duration.parse(step).toMillis();
            Map<String, Map<Long, List<Double>>> expected = workload.byKeyAndWindow(stepMillis);
            for (int k = 0; k < KEYS; k += 7) {
                String key = Workload.keyName(k);
                Answer answer = client.get(PipelineCluster.DEV_KEY, STREAM, "aggregates",
                        query("key", key, "from", Long.toString(from), "to", Long.toString(to), "step", step));
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body().path("step").asString()).isEqualTo(step);
                assertWindows(key + " step " + step, stepMillis, answer.body().path("windows"), expected.get(key), tally);
            }
        }
        tally.assertWithinRankError();
        failed = false;
    }

    @Test
    @Order(5)
    void shouldAnswerOnlyTheWindowsInsideAHalfOpenRange() throws Exception {
        failed = true;
        String key = Workload.keyName(3);
        long rangeFrom = from + 3 * WINDOW;
        long rangeTo = from + 7 * WINDOW;
        Answer answer = client.get(PipelineCluster.DEV_KEY, STREAM, "aggregates", query("key", key,
                "from", Instant.ofEpochMilli(rangeFrom).toString(), "to", Instant.ofEpochMilli(rangeTo).toString()));

        List<Long> starts = new ArrayList<>();
        answer.body().path("windows").forEach(w -> starts.add(Instant.parse(w.path("start").asString()).toEpochMilli()));
        Map<Long, List<Double>> expected = new TreeMap<>(workload.byKeyAndWindow(WINDOW).get(key));
        expected.keySet().removeIf(s -> s < rangeFrom || s >= rangeTo);
        assertThat(starts).containsExactlyElementsOf(expected.keySet());
        failed = false;
    }

    @Test
    @Order(6)
    void shouldListTheKeysAndSummariseTheStream() throws Exception {
        failed = true;
        Answer keys = client.get(PipelineCluster.DEV_KEY, STREAM, "keys", range(from, to));
        List<String> listed = new ArrayList<>();
        keys.body().path("keys").forEach(k -> listed.add(k.asString()));
        assertThat(listed).containsExactlyElementsOf(Stream.iterate(0, i -> i + 1).limit(KEYS).map(Workload::keyName).toList());

        Answer summary = client.get(PipelineCluster.DEV_KEY, STREAM, "summary", range(from, to));
        double[] all = workload.points().stream().mapToDouble(Workload.Point::value).toArray();
        QuantileTally tally = new QuantileTally();
        assertWindow("summary", summary.body(), all, tally);
        tally.assertWithinRankError();
        failed = false;
    }

    @Test
    @Order(7)
    void shouldKeepTenantsApartOnTheSameStreamName() throws Exception {
        failed = true;
        long ts = to - WINDOW;
        String body = "[{\"key\":\"key-000\",\"value\":1000000,\"ts\":" + ts + "},{\"key\":\"only-dev2\",\"value\":7,\"ts\":" + ts + "}]";
        assertThat(client.ingest(PipelineCluster.DEV2_KEY, STREAM, "application/json", body).status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(client.get(PipelineCluster.DEV2_KEY, STREAM, "summary", range(from, to)).body().path("count").asLong()).isEqualTo(2));
        List<String> dev2Keys = new ArrayList<>();
        client.get(PipelineCluster.DEV2_KEY, STREAM, "keys", range(from, to)).body().path("keys").forEach(k -> dev2Keys.add(k.asString()));
        assertThat(dev2Keys).containsExactly("key-000", "only-dev2");
        Answer devSummary = client.get(PipelineCluster.DEV_KEY, STREAM, "summary", range(from, to));
        assertThat(devSummary.body().path("count").asLong()).isEqualTo(RECORDS);
        assertThat(devSummary.body().path("max").asDouble()).isLessThan(1_000_000);
        failed = false;
    }

    @Test
    @Order(7)
    void shouldNotLetATenantReadWatchOrDetectAnotherTenantsStream() throws Exception {
        failed = true;
        String privateStream = "isolation.private";
        long ts = to - WINDOW;
        assertThat(client.ingest(PipelineCluster.DEV_KEY, privateStream, "application/json",
                "[{\"key\":\"secret\",\"value\":42,\"ts\":" + ts + "}]").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                client.get(PipelineCluster.DEV_KEY, privateStream, "summary", range(from, to)).body().path("count").asLong()).isEqualTo(1));

        // The other tenant gets exactly what a stream nobody ever wrote answers: nothing to read, nothing to learn.
        for (String operation : List.of("keys", "summary")) {
            JsonNode theirs = client.get(PipelineCluster.DEV2_KEY, privateStream, operation, range(from, to)).body();
            JsonNode nobodys = client.get(PipelineCluster.DEV2_KEY, "never.written", operation, range(from, to)).body();
            ((ObjectNode) theirs).remove("stream");
            ((ObjectNode) nobodys).remove("stream");
            assertThat(theirs).as(operation).isEqualTo(nobodys);
        }
        assertThat(client.get(PipelineCluster.DEV2_KEY, privateStream, "aggregates",
                query("key", "secret", "from", Long.toString(from), "to", Long.toString(to))).body().path("windows")).isEmpty();

        // Nor can it watch: subscribed to the same stream and key beside the owner, it sees none of the
        // window events the owner's subscription receives.
        List<String> ownerSaw = new CopyOnWriteArrayList<>();
        List<String> otherSaw = new CopyOnWriteArrayList<>();
        List<HttpResponse<Stream<String>>> opened = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> subscriptions = List.of(
                watch(privateStream, PipelineCluster.DEV_KEY, ownerSaw, opened),
                watch(privateStream, PipelineCluster.DEV2_KEY, otherSaw, opened));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> opened.size() == 2);
            for (int i = 0; i < 5; i++) {
                assertThat(client.ingest(PipelineCluster.DEV_KEY, privateStream, "application/json",
                        "[{\"key\":\"secret\",\"value\":" + i + ",\"ts\":" + ts + "}]").status()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> ownerSaw.stream().anyMatch(line -> line.contains("\"count\":6")));
            assertThat(otherSaw).as("window events the other tenant received").isEmpty();
        } finally {
            subscriptions.forEach(subscription -> subscription.cancel(true));
            opened.forEach(response -> response.body().close());
        }
        failed = false;
    }

    @Test
    @Order(8)
    void shouldRejectAWholeRequestWithOneInvalidRecordAndAddNothing() throws Exception {
        failed = true;
        long ts = to - WINDOW;
        String body = "{\"key\":\"rejected-key\",\"value\":1,\"ts\":" + ts + "}\n{\"key\":\"rejected-key\",\"value\":\"x\",\"ts\":" + ts + "}\n";
        Answer answer = client.ingest(PipelineCluster.DEV_KEY, STREAM, "application/x-ndjson", body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body().path("errors").get(0).path("index").asInt()).isEqualTo(1);
        Answer unauthenticated = client.get(null, STREAM, "keys", range(from, to));
        assertThat(unauthenticated.status()).isEqualTo(401);
        Answer badStep = client.get(PipelineCluster.DEV_KEY, STREAM, "aggregates", query("key", "k", "step", "PT7S"));
        assertThat(badStep.status()).isEqualTo(400);

        Answer summary = client.get(PipelineCluster.DEV_KEY, STREAM, "summary", range(from, to));
        assertThat(summary.body().path("count").asLong()).isEqualTo(RECORDS);
        failed = false;
    }

    @Test
    @Order(9)
    void shouldStreamWindowUpdatesLiveAsServerSentEvents() throws Exception {
        failed = true;
        String key = "live-key";
        HttpRequest request = HttpRequest.newBuilder(client.uri("/v1/streams/" + STREAM + "/aggregates/live?key=" + key))
                .header("Authorization", "Bearer " + PipelineCluster.DEV_KEY).header("Accept", "text/event-stream").GET().build();
        // Headers may only arrive with the first event, so subscribe asynchronously and post meanwhile.
        List<HttpResponse<Stream<String>>> opened = new CopyOnWriteArrayList<>();
        CompletableFuture<JsonNode> firstWindow = client.http().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenApplyAsync(response -> {
                    opened.add(response);
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
                    return response.body()
                            .filter(line -> line.startsWith("data:"))
                            .map(line -> GatewayClient.JSON.readTree(line.substring(5).trim()))
                            .filter(node -> node.path("count").asLong() >= 2)
                            .findFirst().orElseThrow();
                });
        try {
            long ts = to - WINDOW;
            // Keep feeding the key until the subscription has surely started and seen it (bounded).
            JsonNode event = null;
            for (int attempt = 0; attempt < 30 && event == null; attempt++) {
                client.ingest(PipelineCluster.DEV_KEY, STREAM, "application/json",
                        "[{\"key\":\"" + key + "\",\"value\":" + attempt + ",\"ts\":" + ts + "}]");
                try {
                    event = firstWindow.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException stillWaiting) {
                    // post again
                }
            }
            assertThat(event).as("a live window event").isNotNull();
            contract.assertEventConforms("/v1/streams/{stream}/aggregates/live", event);
            assertThat(Instant.parse(event.path("start").asString()).toEpochMilli()).isEqualTo(Math.floorDiv(ts, WINDOW) * WINDOW);
        } finally {
            firstWindow.cancel(true);
            opened.forEach(r -> r.body().close());
        }
        failed = false;
    }

    @Test
    @Order(10)
    void shouldOnlyAnswerWhatTheOpenApiDescriptionDescribes() {
        contract.assertEveryOperationExercised();
    }

    /** Subscribes to a key's live windows as {@code apiKey}, collecting the data lines it receives. */
    private CompletableFuture<Void> watch(String stream, String apiKey, List<String> dataLines, List<HttpResponse<Stream<String>>> opened) {
        HttpRequest request = HttpRequest.newBuilder(client.uri("/v1/streams/" + stream + "/aggregates/live?key=secret"))
                .header("Authorization", "Bearer " + apiKey).header("Accept", "text/event-stream").GET().build();
        return client.http().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAcceptAsync(response -> {
            opened.add(response);
            response.body().filter(line -> line.startsWith("data:")).forEach(dataLines::add);
        });
    }

    private static Map<String, String> range(long from, long to) {
        return query("from", Long.toString(from), "to", Long.toString(to));
    }

    static void assertWindows(String context, long stepMillis, JsonNode windows, Map<Long, List<Double>> expected,
                                      QuantileTally tally) {
        Map<Long, JsonNode> actual = new TreeMap<>();
        windows.forEach(w -> actual.put(Instant.parse(w.path("start").asString()).toEpochMilli(), w));
        assertThat(actual.keySet()).as("%s: window starts", context).containsExactlyInAnyOrderElementsOf(expected.keySet());
        List<Long> order = new ArrayList<>();
        windows.forEach(w -> order.add(Instant.parse(w.path("start").asString()).toEpochMilli()));
        assertThat(order).as("%s: windows sorted by start", context).isSorted();
        for (var e : expected.entrySet()) {
            JsonNode w = actual.get(e.getKey());
            assertThat(Instant.parse(w.path("end").asString()).toEpochMilli()).isEqualTo(e.getKey() + stepMillis);
            assertWindow(context + " window " + Instant.ofEpochMilli(e.getKey()), w,
                    e.getValue().stream().mapToDouble(Double::doubleValue).toArray(), tally);
        }
    }

    static void assertWindow(String context, JsonNode w, double[] values, QuantileTally tally) {
        ExactStatistics exact = new ExactStatistics(values);
        double meanAbs = exact.meanAbs();
        assertThat(w.path("count").asLong()).as("%s count", context).isEqualTo(exact.count());
        assertThat(w.path("min").asDouble()).as("%s min", context).isEqualTo(exact.min());
        assertThat(w.path("max").asDouble()).as("%s max", context).isEqualTo(exact.max());
        assertClose(context + " sum", exact.sum(), w.path("sum").asDouble(), meanAbs);
        assertClose(context + " mean", exact.mean(), w.path("mean").asDouble(), meanAbs);
        if (exact.count() < 2) {
            assertThat(w.path("stddev").isNull()).as("%s stddev is null below two records", context).isTrue();
        } else {
            assertClose(context + " stddev", exact.sampleStddev(), w.path("stddev").asDouble(), meanAbs);
        }
        for (String p : List.of("p50", "p90", "p95", "p99")) {
            double q = Integer.parseInt(p.substring(1)) / 100.0;
            double value = w.path(p).asDouble();
            if (values.length <= 200) {
                assertThat(value).as("%s %s of an uncompacted sketch is the nearest-rank value", context, p).isEqualTo(exact.nearestRank(q));
            }
            tally.record(exact.rankDistance(q, value));
        }
    }

    private static void assertClose(String what, double expected, double actual, double meanAbs) {
        assertThat(ExactStatistics.close(expected, actual, RELATIVE, meanAbs))
                .as("%s: expected %s, got %s", what, expected, actual).isTrue();
    }

    /** Percentiles must sit within the KLL sketch's stated rank error (k = 200: 1.65%, 99% confidence per query). */
    static final class QuantileTally {
        private static final double STATED = 0.0165;
        private int checks;
        private int within;
        private double worst;

        void record(double distance) {
            checks++;
            if (distance <= STATED) {
                within++;
            }
            worst = Math.max(worst, distance);
        }

        void assertWithinRankError() {
            assertThat(checks).isPositive();
            assertThat((double) within / checks).as("share of percentiles within the stated rank error").isGreaterThanOrEqualTo(0.99);
            assertThat(worst).as("worst rank error").isLessThanOrEqualTo(2 * STATED);
        }
    }
}
