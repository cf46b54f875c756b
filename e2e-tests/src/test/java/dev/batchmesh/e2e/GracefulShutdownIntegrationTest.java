package dev.batchmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.e2e.support.IdempotentIngestClient;
import dev.batchmesh.e2e.support.IdempotentIngestClient.Outcome;
import dev.batchmesh.e2e.support.PipelineCluster;
import dev.batchmesh.e2e.support.ServiceProcess;
import dev.batchmesh.e2e.support.Workload;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the batcher while records stream in: it stops taking traffic (readiness 503, or its
 * port closes) before it exits, and after it is started again every record that got a 202 is
 * counted exactly once, including the requests that failed meanwhile and were retried with their
 * Idempotency-Key.
 */
class GracefulShutdownIntegrationTest extends AbstractRestartableBrokerTest {

    private static final String STREAM = "graceful";
    private static final int CLIENTS = 3;
    private static final int REQUESTS_PER_CLIENT = 40;
    private static final int RECORDS_PER_REQUEST = 100;
    private static final Duration PACE = Duration.ofMillis(300);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Override
    Map<String, String> overrides() {
        return Map.of("PIPELINE_GRACE", "PT15M");
    }

    @Test
    void shouldStopTakingTrafficBeforeExitingAndCountEveryAcknowledgedRecordOnce() throws Exception {
        long from = System.currentTimeMillis() - 60_000;
        IdempotentIngestClient ingest = new IdempotentIngestClient(cluster.gateway(), PipelineCluster.DEV_KEY, 80, Duration.ofSeconds(30));
        ServiceProcess batcher = cluster.service("batcher-service");
        AtomicInteger sent = new AtomicInteger();
        List<Future<List<Outcome>>> clients = new ArrayList<>();
        Process terminated;
        List<String> observed = new CopyOnWriteArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    List<Outcome> outcomes = new ArrayList<>();
                    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                        sent.incrementAndGet();
                        String body = body(client, i, from);
                        outcomes.add(ingest.send(STREAM, IdempotentIngestClient.newKey(), "application/json", body));
                        TimeUnit.MILLISECONDS.sleep(PACE.toMillis());
                    }
                    return outcomes;
                }));
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= CLIENTS * REQUESTS_PER_CLIENT / 4);

            URI readiness = URI.create("http://127.0.0.1:" + batcher.managementPort() + "/actuator/health/readiness");
            assertThat(probe(readiness)).as("ready before the SIGTERM").isEqualTo("200");
            terminated = batcher.terminate();
            // watch readiness until the process is gone; an answer counts only if the process outlived it
            Process watched = terminated;
            await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
                String answer = probe(readiness);
                if (watched.isAlive()) {
                    observed.add(answer);
                }
                return !watched.isAlive();
            });
            System.out.printf("GracefulShutdown: readiness while shutting down %s, exit code %d%n", compress(observed), terminated.exitValue());
            batcher.start();
            batcher.awaitReady(Duration.ofSeconds(180));

            List<Outcome> all = new ArrayList<>();
            for (Future<List<Outcome>> f : clients) {
                all.addAll(f.get(15, TimeUnit.MINUTES));
            }
            long acknowledged = 0;
            for (Outcome o : all) {
                assertThat(o.acknowledged()).as("every request is acknowledged within its attempts: %s", o).isTrue();
                assertThat(o.accepted()).isEqualTo(RECORDS_PER_REQUEST);
                acknowledged += o.accepted();
            }
            System.out.printf("GracefulShutdown: %d records acknowledged, attempt statuses %s%n", acknowledged, ingest.statusCounts());
            assertThat(ingest.statusCounts().keySet()).as("some attempts failed while the batcher was down, and were retried")
                    .anyMatch(s -> s != 202);
            assertThat(observed).as("readiness answered 503, or the port was closed, while the process was still alive")
                    .anyMatch(s -> s.equals("503") || s.equals("refused"));

            long expected = acknowledged;
            long to = System.currentTimeMillis() + 60_000;
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(summaryCount(STREAM, from - 60_000, to)).isEqualTo(expected));
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(summaryCount(STREAM, from - 60_000, to)).isEqualTo(expected));
        }
    }

    private String probe(URI readiness) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return Integer.toString(response.statusCode());
        } catch (java.net.ConnectException e) {
            return "refused";
        } catch (IOException e) {
            return "error";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String body(int client, int request, long from) {
        List<Workload.Point> points = new ArrayList<>(RECORDS_PER_REQUEST);
        for (int i = 0; i < RECORDS_PER_REQUEST; i++) {
            points.add(new Workload.Point("c" + client + "-k" + (i % 10), request * 1000 + i, from + (request * 997L + i * 31L) % 60_000));
        }
        return Workload.render(points, false);
    }

    /** Consecutive repeats folded: [200 x3, 503 x12, refused x5]. */
    private static List<String> compress(List<String> observed) {
        List<String> out = new ArrayList<>();
        String last = null;
        int run = 0;
        for (String s : observed) {
            if (s.equals(last)) {
                run++;
            } else {
                if (last != null) {
                    out.add(last + " x" + run);
                }
                last = s;
                run = 1;
            }
        }
        if (last != null) {
            out.add(last + " x" + run);
        }
        return out;
    }
}
