package dev.batchmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.e2e.support.GatewayClient;
import dev.batchmesh.e2e.support.IdempotentIngestClient;
import dev.batchmesh.e2e.support.PipelineCluster;
import dev.batchmesh.e2e.support.ServiceProcess;
import dev.batchmesh.e2e.support.Workload;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Kafka goes away while clients post: every request is still answered promptly (a 503 with
 * Retry-After once the buffer is full or the publish timed out, never a hang), the batcher stays up
 * with bounded memory, and once the broker is back ingest works again without restarting anything.
 */
class BackpressureIntegrationTest extends AbstractRestartableBrokerTest {

    private static final String STREAM = "backpressure";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);
    /** Publish timeout plus room for one blocked producer call, the abort and two JVMs on two busy cores. */
    private static final Duration ANSWER_BOUND = PUBLISH_TIMEOUT.plusSeconds(15);
    private static final Duration OUTAGE_LOAD = Duration.ofSeconds(25);
    private static final long RSS_BOUND_KB = 900 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Timed(int status, String retryAfter, String body, long millis, String error) {
    }

    @Override
    Map<String, String> overrides() {
        // a small buffer fills within seconds of the outage, so the 503-at-once path is exercised too
        return Map.of("BATCHER_PUBLISH_TIMEOUT", PUBLISH_TIMEOUT.toString(), "BATCHER_BUFFER_MAX_BYTES", "2MB");
    }

    @Test
    void shouldAnswerEveryRequestPromptlyWhileKafkaIsDownAndRecoverWithoutARestart() throws Exception {
        long now = System.currentTimeMillis();
        String body = body(now, 300);
        assertThat(post(body).status()).as("before the outage").isEqualTo(202);
        ServiceProcess batcher = cluster.service("batcher-service");
        long pid = batcher.pid();
        long rssBefore = rssKb(pid);

        broker.stop();
        List<Timed> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicLong maxRss = new AtomicLong(rssBefore);
        long deadline = System.nanoTime() + OUTAGE_LOAD.toNanos();
        List<Future<?>> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (int c = 0; c < 6; c++) {
                clients.add(pool.submit(() -> {
                    // bounded: at most 200 requests per client, and none started after the outage window
                    for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
                        answers.add(post(body(System.currentTimeMillis(), 500)));
                    }
                    return null;
                }));
            }
            try (ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor()) {
                sampler.scheduleAtFixedRate(() -> {
                    try {
                        maxRss.accumulateAndGet(rssKb(pid), Math::max);
                    } catch (IOException | RuntimeException gone) {
                        // the process ended: isAlive() below reports it
                    }
                }, 0, 500, TimeUnit.MILLISECONDS);
                for (Future<?> f : clients) {
                    f.get(2, TimeUnit.MINUTES);
                }
                sampler.shutdownNow();
            }
        }
        maxRss.accumulateAndGet(rssKb(pid), Math::max);

        Map<Integer, Integer> statuses = new TreeMap<>();
        long slowest = 0;
        for (Timed t : answers) {
            statuses.merge(t.status(), 1, Integer::sum);
            slowest = Math.max(slowest, t.millis());
        }
        System.out.printf("Backpressure: %d requests while Kafka was down, statuses %s, slowest %d ms, RSS %d kB before, %d kB max%n",
                answers.size(), statuses, slowest, rssBefore, maxRss.get());
        assertThat(answers).as("requests sent during the outage").hasSizeGreaterThan(10);
        for (Timed t : answers) {
            assertThat(t.error()).as("every request is answered (%s)", t).isNull();
            assertThat(t.millis()).as("answered within the publish timeout plus a margin (%s)", t).isLessThanOrEqualTo(ANSWER_BOUND.toMillis());
            assertThat(t.status()).as("only 503 while Kafka is down (%s)", t).isEqualTo(503);
            assertThat(t.retryAfter()).as("a 503 says when to retry").isNotNull();
            JsonCheck.problem(t.body(), "urn:batchmesh:problem:unavailable");
        }
        assertThat(batcher.isAlive()).as("the batcher survives the outage").isTrue();
        assertThat(batcher.pid()).isEqualTo(pid);
        assertThat(maxRss.get()).as("batcher RSS in kB (before: %d)", rssBefore).isLessThan(RSS_BOUND_KB);

        broker.start(Duration.ofSeconds(120));
        IdempotentIngestClient retrying = new IdempotentIngestClient(cluster.gateway(), PipelineCluster.DEV_KEY, 60, Duration.ofSeconds(30));
        String recovered = "[{\"key\":\"recovered\",\"value\":1},{\"key\":\"recovered\",\"value\":2}]";
        IdempotentIngestClient.Outcome outcome = retrying.send(STREAM, IdempotentIngestClient.newKey(), "application/json", recovered);
        assertThat(outcome.acknowledged()).as("ingest recovers once Kafka is back: %s", outcome).isTrue();
        assertThat(batcher.pid()).as("without restarting the batcher").isEqualTo(pid);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            GatewayClient.Answer answer = client.get(PipelineCluster.DEV_KEY, STREAM, "aggregates", GatewayClient.query("key", "recovered"));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("windows").get(0).path("count").asLong()).isEqualTo(2);
        });
    }

    private Timed post(String body) {
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(cluster.gateway().resolve("/v1/streams/" + STREAM + "/records"))
                .timeout(ANSWER_BOUND.plusSeconds(30))
                .header("Authorization", "Bearer " + PipelineCluster.DEV_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - started) / 1_000_000;
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            contract.assertConforms("post", "/v1/streams/{stream}/records", response.statusCode(), contentType,
                    response.body().isEmpty() ? null : GatewayClient.JSON.readTree(response.body()));
            return new Timed(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null), response.body(), millis, null);
        } catch (IOException e) {
            return new Timed(0, null, null, (System.nanoTime() - started) / 1_000_000, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Timed(0, null, null, (System.nanoTime() - started) / 1_000_000, e.toString());
        }
    }

    private static String body(long now, int records) {
        List<Workload.Point> points = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            points.add(new Workload.Point("key-" + (i % 50), i, now - i));
        }
        return Workload.render(points, false);
    }

    /** Resident set size of a process in kB, from /proc/<pid>/status (Linux). */
    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** Problem-details checks on a raw body. */
    static final class JsonCheck {
        static void problem(String body, String type) {
            assertThat(GatewayClient.JSON.readTree(body).path("type").asString()).as(body).isEqualTo(type);
        }
    }
}
