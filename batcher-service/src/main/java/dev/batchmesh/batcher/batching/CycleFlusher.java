package dev.batchmesh.batcher.batching;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes sealed cycles one after another on a dedicated thread and completes their requests:
 * normally once the transaction committed, exceptionally when it failed. While one cycle commits the
 * accumulator fills the next, which is how requests share transactions under load.
 *
 * <p>On shutdown it stops after the web server (whose graceful shutdown lets in-flight requests wait
 * for their cycle) and before the Kafka producer factory (phase {@code Integer.MIN_VALUE}): buffered
 * records are flushed and acknowledged before the producer closes.
 */
public final class CycleFlusher implements SmartLifecycle {

    /** Below the web server phases ({@code DEFAULT_PHASE - 1024} and {@code - 2048}), above the producer factory. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(CycleFlusher.class);

    private final CycleAccumulator accumulator;
    private final CyclePublisher publisher;
    private final BatchingMetrics metrics;
    private final long publishTimeoutNanos;
    private final long stopTimeoutMillis;
    private final Duration startupTimeout;
    private final Duration startupRetryInterval;
    private volatile Thread thread;

    /** A flusher that fails its start at once when Kafka is not ready. */
    public CycleFlusher(CycleAccumulator accumulator, CyclePublisher publisher, BatchingMetrics metrics, Duration publishTimeout) {
        this(accumulator, publisher, metrics, publishTimeout, Duration.ZERO, Duration.ZERO);
    }

    /**
     * A flusher whose start waits up to {@code startupTimeout} for Kafka to take transactions, asking
     * again every {@code startupRetryInterval}: a fresh broker creates its transaction log on the
     * first transactional producer, which can take longer than one publish timeout.
     */
    public CycleFlusher(CycleAccumulator accumulator, CyclePublisher publisher, BatchingMetrics metrics, Duration publishTimeout,
            Duration startupTimeout, Duration startupRetryInterval) {
        this.accumulator = accumulator;
        this.publisher = publisher;
        this.metrics = metrics;
        this.publishTimeoutNanos = publishTimeout.toNanos();
        this.stopTimeoutMillis = publishTimeout.multipliedBy(3).toMillis();
        this.startupTimeout = startupTimeout;
        this.startupRetryInterval = startupRetryInterval;
    }

    @Override
    public void start() {
        int partitions = awaitPartitionCount();
        accumulator.open(partitions);
        thread = Thread.ofPlatform().name("batcher-flusher").start(this::run);
        log.info("Accepting records for {} partitions", partitions);
    }

    private int awaitPartitionCount() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (true) {
            try {
                return publisher.partitionCount();
            } catch (RuntimeException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                log.warn("Kafka does not take transactions yet, asking again in {} ms: {}", startupRetryInterval.toMillis(), e.toString());
                try {
                    Thread.sleep(startupRetryInterval);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public void stop() {
        accumulator.close();
        Thread running = thread;
        if (running == null) {
            return;
        }
        try {
            running.join(stopTimeoutMillis);
            if (running.isAlive()) {
                log.warn("Flusher did not drain within {} ms; interrupting it", stopTimeoutMillis);
                running.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void run() {
        try {
            while (true) {
                FlushCycle cycle = accumulator.awaitReady(TimeUnit.SECONDS.toNanos(1));
                if (cycle != null) {
                    flush(cycle);
                } else if (accumulator.isDrained()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            log.warn("Flusher interrupted; records still buffered are answered 503");
            failRemaining();
        }
    }

    /** Publishes one cycle and answers its requests; never throws, so one bad cycle cannot stop the loop. */
    void flush(FlushCycle cycle) {
        long started = System.nanoTime();
        Throwable failure = null;
        if (started - cycle.openedNanos() > publishTimeoutNanos) {
            // Its requests already waited a whole publish timeout behind earlier cycles (Kafka is slow
            // or down): answer them now, cleanly, since nothing of this cycle was sent.
            failure = new PublishFailedException("records waited longer than the publish timeout", null);
        } else {
            try {
                publisher.publish(cycle);
                metrics.cycleCommitted(cycle.records(), System.nanoTime() - started);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
        accumulator.release(cycle);
        List<IngestBatch> requests = cycle.requests();
        if (failure == null) {
            log.debug("Cycle {} committed: {} records of {} requests", cycle.sequence(), cycle.records(), requests.size());
            for (IngestBatch request : requests) {
                request.acknowledged().complete(null);
            }
        } else {
            log.warn("Cycle {} not published ({} records of {} requests answered 503): {}", cycle.sequence(), cycle.records(),
                    requests.size(), failure.toString());
            PublishFailedException answer = failure instanceof PublishFailedException p ? p
                    : new PublishFailedException("the records could not be committed to Kafka", failure);
            for (IngestBatch request : requests) {
                request.acknowledged().completeExceptionally(answer);
            }
        }
    }

    private void failRemaining() {
        accumulator.close();
        FlushCycle cycle;
        while ((cycle = accumulator.pollReady()) != null) {
            accumulator.release(cycle);
            PublishFailedException answer = new PublishFailedException("the batcher stopped before publishing the records", null);
            for (IngestBatch request : cycle.requests()) {
                request.acknowledged().completeExceptionally(answer);
            }
        }
    }
}
