package dev.batchmesh.support.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Gauges of how far the service's own consumer group is behind on its input topic, measured by the
 * service itself on a timer through the admin client rather than by its consumers, so they keep
 * reporting while the consumers are stuck. Tags: {@code group} and {@code topic} only (partitions are
 * summed, or the largest taken). NaN until the first measurement and while measuring fails (broker
 * unreachable, topic missing): an unknown lag is not shown as a stale number.
 */
public final class ConsumerLagGauges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLagGauges.class);
    private static final ConsumerLag UNKNOWN = new ConsumerLag(-1, -1);

    private final ConsumerLagReader reader;
    private final String group;
    private final String topic;
    private final Duration interval;
    private volatile ConsumerLag current = UNKNOWN;
    private volatile boolean failing;
    private ScheduledExecutorService timer;

    public ConsumerLagGauges(ConsumerLagReader reader, String group, String topic, Duration interval, MeterRegistry registry) {
        this.reader = reader;
        this.group = group;
        this.topic = topic;
        this.interval = interval;
        Gauge.builder("batchmesh.consumer.lag", this, gauges -> known(gauges.current.total()))
                .description("Records the consumer group has yet to consume on the topic (last stable offset minus committed offset, summed over partitions)")
                .tags("group", group, "topic", topic)
                .baseUnit("records")
                .strongReference(true)
                .register(registry);
        Gauge.builder("batchmesh.consumer.lag.max", this, gauges -> known(gauges.current.maxPartition()))
                .description("Records the consumer group has yet to consume on its furthest-behind partition of the topic")
                .tags("group", group, "topic", topic)
                .baseUnit("records")
                .strongReference(true)
                .register(registry);
    }

    private static double known(long value) {
        return value < 0 ? Double.NaN : value;
    }

    /** Measures once; the timer calls this every interval. */
    void refresh() {
        try {
            current = reader.read(group, topic);
            if (failing) {
                log.info("Measuring the lag of group {} on {} works again", group, topic);
            }
            failing = false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            current = UNKNOWN;
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (!failing) {
                log.warn("Cannot measure the lag of group {} on {}: {}", group, topic, cause.toString());
            }
            failing = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    ConsumerLag current() {
        return current;
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("consumer-lag-" + group).daemon().factory());
        timer.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
