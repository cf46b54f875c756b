package dev.batchmesh.e2e;

import static dev.batchmesh.e2e.support.GatewayClient.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.e2e.AbstractPipelineEndToEndTest.QuantileTally;
import dev.batchmesh.e2e.support.GatewayClient;
import dev.batchmesh.e2e.support.GatewayClient.Answer;
import dev.batchmesh.e2e.support.IdempotentIngestClient;
import dev.batchmesh.e2e.support.IdempotentIngestClient.Outcome;
import dev.batchmesh.e2e.support.PipelineCluster;
import dev.batchmesh.e2e.support.Workload;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exactly once under crashes and retries: a bounded client load, every request under its own
 * Idempotency-Key and retried with it until acknowledged, while one of two processors is killed
 * (SIGKILL) and restarted, the aggregator is killed and restarted on its state directory, and the
 * Kafka broker is stopped and started again. Afterwards every window of every key must equal an
 * independent computation over exactly the acknowledged records. Acknowledged requests are also
 * replayed on purpose, so a batcher that ignored Idempotency-Key would double count and fail here.
 */
class CrashRecoveryIntegrationTest extends AbstractRestartableBrokerTest {

    private static final String STREAM = "payments.crash";
    private static final long WINDOW = 10_000;
    private static final int RECORDS = 45_000;
    private static final int KEYS = 100;
    private static final int WINDOWS = 18;
    private static final int CLIENTS = 4;
    private static final Duration PACE = Duration.ofMillis(600);
    private static final long SEED = 20261124L;

    private IdempotentIngestClient ingest;
    private long from;
    private long to;

    private record Request(String idempotencyKey, String contentType, String body, List<Workload.Point> points) {
    }

    @Override
    int processors() {
        return 2;
    }

    @Override
    Map<String, String> overrides() {
        // a long grace: a request retried minutes later must not turn late and be refused; a publish
        // timeout shorter than the broker outage below, so requests of that time fail with 503 and are retried
        return Map.of("PIPELINE_GRACE", "PT15M", "BATCHER_PUBLISH_TIMEOUT", "PT3S");
    }

    @BeforeEach
    void clientWithRetries() {
        ingest = new IdempotentIngestClient(cluster.gateway(), PipelineCluster.DEV_KEY, 80, Duration.ofSeconds(30));
    }

    @Test
    void shouldCountEveryAcknowledgedRecordExactlyOnceThroughCrashesRetriesAndABrokerRestart() throws Exception {
        long currentWindow = Math.floorDiv(System.currentTimeMillis(), WINDOW) * WINDOW;
        from = currentWindow - WINDOWS * WINDOW;
        to = currentWindow + WINDOW;
        List<Request> requests = requests(new Workload(SEED, RECORDS, KEYS, from, WINDOWS, WINDOW));
        long pastFrom = from;
        long pastTo = from + 3 * WINDOW;

        Outcome[] outcomes = new Outcome[requests.size()];
        AtomicInteger sent = new AtomicInteger();
        AtomicLong nextSlot = new AtomicLong(System.nanoTime());
        CountDownLatch chaosDone = new CountDownLatch(1);
        int gated = requests.size() * 4 / 5;
        List<Future<?>> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    for (int i = sent.getAndIncrement(); i < requests.size(); i = sent.getAndIncrement()) {
                        if (i >= gated) {
                            // the tail of the load waits for the last fault, so every fault meets a running load
                            chaosDone.await(10, TimeUnit.MINUTES);
                        }
                        long slot = nextSlot.getAndAdd(PACE.toNanos());
                        TimeUnit.NANOSECONDS.sleep(Math.max(0, slot - System.nanoTime()));
                        Request r = requests.get(i);
                        outcomes[i] = ingest.send(STREAM, r.idempotencyKey(), r.contentType(), r.body());
                    }
                    return null;
                }));
            }
            try {
                injectFaults(requests.size(), sent, pastFrom, pastTo);
            } finally {
                chaosDone.countDown();
            }
            for (Future<?> f : clients) {
                f.get(15, TimeUnit.MINUTES);
            }
        }

        List<Workload.Point> acknowledged = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Outcome o = outcomes[i];
            assertThat(o).as("request %d was sent", i).isNotNull();
            assertThat(o.acknowledged()).as("request %d acknowledged within its attempts: %s (attempt statuses %s)", i, o,
                    ingest.statusCounts()).isTrue();
            assertThat(o.accepted()).as("request %d accepted count", i).isEqualTo(requests.get(i).points().size());
            acknowledged.addAll(requests.get(i).points());
        }
        System.out.printf("CrashRecovery: %d requests, %d records acknowledged, attempt statuses %s%n", requests.size(),
                acknowledged.size(), ingest.statusCounts());

        assertThat(ingest.statusCounts().keySet()).as("the broker outage made some attempts fail, which were retried")
                .anyMatch(status -> status != 202);
        replayAcknowledgedRequests(requests);

        long expectedPast = acknowledged.stream().filter(p -> p.ts() >= pastFrom && p.ts() < pastTo).count();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(count(from, to)).isEqualTo(acknowledged.size()));
        // and it stays there: no duplicate arrives late from an aborted and retried transaction
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(count(from, to)).isEqualTo(acknowledged.size()));
        assertThat(count(pastFrom, pastTo)).as("count of the fixed past range").isEqualTo(expectedPast);

        Map<String, Map<Long, List<Double>>> expected = byKeyAndWindow(acknowledged);
        assertThat(expected).hasSize(KEYS);
        QuantileTally tally = new QuantileTally();
        for (var byKey : expected.entrySet()) {
            Answer answer = client.get(PipelineCluster.DEV_KEY, STREAM, "aggregates",
                    query("key", byKey.getKey(), "from", Long.toString(from), "to", Long.toString(to)));
            assertThat(answer.status()).isEqualTo(200);
            AbstractPipelineEndToEndTest.assertWindows(byKey.getKey(), WINDOW, answer.body().path("windows"), byKey.getValue(), tally);
        }
        tally.assertWithinRankError();
    }

    /**
     * Broker restart, processor crash, aggregator crash, each once the load has progressed a little
     * further. The broker goes first, while most of the load is still to come, so requests of the
     * outage fail and are retried under their keys.
     */
    private void injectFaults(int total, AtomicInteger sent, long pastFrom, long pastTo) throws Exception {
        awaitSent(sent, total / 20);
        System.out.println("CrashRecovery: stopping the Kafka broker (SIGTERM) and starting it again");
        broker.stop();
        // down for longer than the publish timeout: commits in flight fail, clients get 503s and retry
        TimeUnit.SECONDS.sleep(8);
        broker.start(Duration.ofSeconds(120));
        System.out.println("CrashRecovery: broker back");

        awaitSent(sent, total / 5);
        System.out.println("CrashRecovery: SIGKILL processor-service-2 and start it again");
        cluster.killAndRestart("processor-service-2");

        awaitSent(sent, total * 7 / 20);
        System.out.println("CrashRecovery: SIGKILL aggregator-service and start it again");
        long before = awaitCount(pastFrom, pastTo);
        // what a query showed must be committed before the crash: the commit interval is 100 ms
        TimeUnit.SECONDS.sleep(2);
        cluster.killAndRestart("aggregator-service");
        long previous = before;
        for (int sample = 0; sample < 10; sample++) {
            long now = awaitCount(pastFrom, pastTo);
            assertThat(now).as("count of a fixed past range after the aggregator came back (sample %d, before the crash %d)", sample, before)
                    .isGreaterThanOrEqualTo(previous);
            previous = now;
        }
        System.out.printf("CrashRecovery: fixed past range count %d before the aggregator crash, %d after%n", before, previous);
    }

    private static void awaitSent(AtomicInteger sent, int atLeast) {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> sent.get() >= atLeast);
    }

    /** The summary count of a range, waiting out 503s while the aggregator restores. */
    private long awaitCount(long rangeFrom, long rangeTo) {
        AtomicLong count = new AtomicLong();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                count.set(count(rangeFrom, rangeTo)));
        return count.get();
    }

    private long count(long rangeFrom, long rangeTo) throws Exception {
        Answer summary = client.get(PipelineCluster.DEV_KEY, STREAM, "summary",
                query("from", Long.toString(rangeFrom), "to", Long.toString(rangeTo)));
        assertThat(summary.status()).as("summary: %s", summary.body()).isEqualTo(200);
        return summary.body().path("count").asLong();
    }

    /**
     * Sends acknowledged requests again under their keys: each must answer the original 202 and add
     * nothing; the same key with another body must be refused with 422.
     */
    private void replayAcknowledgedRequests(List<Request> requests) throws Exception {
        for (int i = 0; i < requests.size(); i += Math.max(1, requests.size() / 20)) {
            Request r = requests.get(i);
            HttpResponse<String> replay = ingest.once(STREAM, r.idempotencyKey(), r.contentType(), r.body());
            assertThat(replay.statusCode()).as("replay of acknowledged request %d: %s", i, replay.body()).isEqualTo(202);
            assertThat(GatewayClient.JSON.readTree(replay.body()).path("accepted").asInt()).isEqualTo(r.points().size());
        }
        Request first = requests.getFirst();
        HttpResponse<String> conflict = ingest.once(STREAM, first.idempotencyKey(), "application/json",
                Workload.render(requests.get(1).points(), false));
        assertThat(conflict.statusCode()).as("another body under an acknowledged key: %s", conflict.body()).isEqualTo(422);
    }

    /** The workload cut into requests of 100 to 500 records, alternating JSON and NDJSON, each with its own key. */
    private static List<Request> requests(Workload workload) {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Workload.Point> points = workload.points();
        List<Request> out = new ArrayList<>();
        for (int start = 0; start < points.size(); ) {
            int size = Math.min(points.size() - start, 100 + random.nextInt(401));
            List<Workload.Point> chunk = List.copyOf(points.subList(start, start + size));
            boolean ndjson = out.size() % 2 == 1;
            out.add(new Request(IdempotentIngestClient.newKey(), ndjson ? "application/x-ndjson" : "application/json",
                    Workload.render(chunk, ndjson), chunk));
            start += size;
        }
        return out;
    }

    private static Map<String, Map<Long, List<Double>>> byKeyAndWindow(List<Workload.Point> points) {
        Map<String, Map<Long, List<Double>>> out = new HashMap<>();
        for (Workload.Point p : points) {
            long start = Math.floorDiv(p.ts(), WINDOW) * WINDOW;
            out.computeIfAbsent(p.key(), k -> new HashMap<>()).computeIfAbsent(start, s -> new ArrayList<>()).add(p.value());
        }
        return out;
    }
}
