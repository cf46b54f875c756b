package dev.batchmesh.bench.loadgen.probe;

import dev.batchmesh.bench.loadgen.ingest.IngestClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures how long a record takes from its 202 to its visibility in a query: every
 * {@code interval} one request carries one record under a key of its own on the probe stream; after
 * the 202 the aggregates of that key are polled every {@code pollInterval} until a window counts it.
 * The figure includes up to one poll interval of polling granularity. At most {@code maxPolls} queries
 * are in flight, given to the oldest probes: when visibility lags, polling every waiting probe would
 * load the gateway and the aggregator with queries and slow the very thing measured.
 */
public final class ProbeRunner implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long QUERY_MARGIN_MILLIS = 60_000;

    private final IngestClient client;
    private final String stream;
    private final String keyPrefix;
    private final Duration interval;
    private final Duration pollInterval;
    private final Duration timeout;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, runnable -> {
        Thread thread = new Thread(runnable, "loadgen-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final int maxPolls;
    private final ConcurrentSkipListMap<Long, Pending> pending = new ConcurrentSkipListMap<>();
    private final AtomicInteger polling = new AtomicInteger();
    private final Recorder latency = new Recorder(3);
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong visible = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final Histogram total = new Histogram(3);
    private volatile boolean sending;

    private static final class Pending {
        final String key;
        final long tsMillis;
        final long ackNanos;
        final AtomicBoolean polling = new AtomicBoolean();

        Pending(String key, long tsMillis, long ackNanos) {
            this.key = key;
            this.tsMillis = tsMillis;
            this.ackNanos = ackNanos;
        }
    }

    public ProbeRunner(IngestClient client, String stream, String runId, Duration interval, Duration pollInterval, Duration timeout,
                       int maxPolls) {
        this.client = client;
        this.stream = stream;
        this.keyPrefix = "probe-" + runId + "-";
        this.interval = interval;
        this.pollInterval = pollInterval;
        this.timeout = timeout;
        this.maxPolls = maxPolls;
    }

    public void start() {
        sending = true;
        timer.scheduleAtFixedRate(this::sendOne, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        timer.scheduleWithFixedDelay(this::pollAll, pollInterval.toNanos(), pollInterval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops sending probes, waits (up to the probe timeout) for the outstanding ones, and returns everything measured. */
    public ProbeMeasurement finish() throws InterruptedException {
        sending = false;
        long deadline = System.nanoTime() + timeout.toNanos() + pollInterval.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(pollInterval.toMillis() + 1);
        }
        return stop();
    }

    /** Stops sending and polling at once; probes still waiting count as timed out. */
    public ProbeMeasurement stop() {
        sending = false;
        timer.shutdownNow();
        timedOut.addAndGet(pending.size());
        pending.clear();
        synchronized (total) {
            total.add(latency.getIntervalHistogram());
            return new ProbeMeasurement(sent.get(), accepted.get(), visible.get(), timedOut.get(), total.copy());
        }
    }

    private void sendOne() {
        if (!sending) {
            return;
        }
        long n = sequence.getAndIncrement();
        String key = keyPrefix + n;
        long ts = System.currentTimeMillis();
        byte[] body = ("{\"key\":\"" + key + "\",\"value\":1,\"ts\":" + ts + "}\n").getBytes(StandardCharsets.UTF_8);
        sent.incrementAndGet();
        client.post(client.recordsUri(stream), "application/x-ndjson", body).whenComplete((status, failure) -> {
            if (failure == null && status == 202) {
                accepted.incrementAndGet();
                pending.put(n, new Pending(key, ts, System.nanoTime()));
            }
        });
    }

    private void pollAll() {
        long now = System.nanoTime();
        Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Pending> entry = it.next();
            Pending probe = entry.getValue();
            if (now - probe.ackNanos > timeout.toNanos()) {
                it.remove();
                timedOut.incrementAndGet();
                continue;
            }
            if (polling.get() >= maxPolls) {
                // the rest are checked for timeouts only
                continue;
            }
            if (!probe.polling.compareAndSet(false, true)) {
                continue;
            }
            polling.incrementAndGet();
            URI uri = client.aggregatesUri(stream, probe.key, probe.tsMillis - QUERY_MARGIN_MILLIS, probe.tsMillis + QUERY_MARGIN_MILLIS);
            client.get(uri).whenComplete((response, failure) -> {
                long answered = System.nanoTime();
                try {
                    if (failure == null && counted(response) && pending.remove(entry.getKey(), probe)) {
                        latency.recordValue(Math.max(0, answered - probe.ackNanos));
                        visible.incrementAndGet();
                    }
                } finally {
                    probe.polling.set(false);
                    polling.decrementAndGet();
                }
            });
        }
    }

    static boolean counted(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return false;
        }
        JsonNode windows = JSON.readTree(response.body()).path("windows");
        long count = 0;
        for (JsonNode window : windows) {
            count += window.path("count").asLong(0);
        }
        return count > 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
