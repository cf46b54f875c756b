package dev.batchmesh.bench.loadgen.ingest;

import dev.batchmesh.bench.loadgen.body.BodyPool;
import dev.batchmesh.bench.loadgen.schedule.LatencyRecorder;
import dev.batchmesh.bench.loadgen.schedule.NanoClock;
import dev.batchmesh.bench.loadgen.schedule.OpenLoopScheduler;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends pre-encoded bodies at one fixed open-loop rate for one duration. At most {@code maxInFlight}
 * requests are outstanding; when all are, the scheduler waits for one to finish, and the requests it
 * could not send on time are still timed from their intended send times.
 */
public final class IngestPhase {

    private final IngestClient client;
    private final URI recordsUri;
    private final BodyPool bodies;
    private final int maxInFlight;
    private final Duration drainTimeout;

    public IngestPhase(IngestClient client, String stream, BodyPool bodies, int maxInFlight, Duration drainTimeout) {
        this.client = client;
        this.recordsUri = client.recordsUri(stream);
        this.bodies = bodies;
        this.maxInFlight = maxInFlight;
        this.drainTimeout = drainTimeout;
    }

    public PhaseMeasurement run(double requestsPerSecond, Duration duration) throws InterruptedException {
        OpenLoopScheduler scheduler = new OpenLoopScheduler(requestsPerSecond, NanoClock.SYSTEM);
        LatencyRecorder latencies = new LatencyRecorder();
        Semaphore inFlight = new Semaphore(maxInFlight);
        LongAdder accepted = new LongAdder();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        String contentType = bodies.format().contentType();
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        long sent = scheduler.run(startNanos, duration, (sequence, intendedNanos) -> {
            inFlight.acquire();
            // live event times follow the intended send time, so a late send does not shift them
            long intendedMillis = startMillis + TimeUnit.NANOSECONDS.toMillis(intendedNanos - startNanos);
            byte[] body = bodies.next(intendedMillis);
            latencies.sent(intendedNanos, System.nanoTime());
            client.post(recordsUri, contentType, body).whenComplete((status, failure) -> {
                long done = System.nanoTime();
                try {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                        errors.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder()).increment();
                    } else if (status == 202) {
                        latencies.completed(intendedNanos, done);
                        accepted.increment();
                    } else {
                        statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                    }
                } finally {
                    inFlight.release();
                }
            });
        });
        // every response, or the drain timeout: requests still open then count as failed
        boolean drained = inFlight.tryAcquire(maxInFlight, drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (drained) {
            inFlight.release(maxInFlight);
        }
        long endNanos = System.nanoTime();
        long endMillis = System.currentTimeMillis();
        long acceptedCount = accepted.sum();
        return new PhaseMeasurement(requestsPerSecond, startMillis, endMillis, (endNanos - startNanos) / 1e9,
                sent, acceptedCount, acceptedCount * bodies.recordsPerRequest(), sums(statuses), sums(errors),
                latencies.latencies(), latencies.sendDelays());
    }

    private static <K extends Comparable<K>> Map<K, Long> sums(Map<K, LongAdder> counters) {
        Map<K, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
