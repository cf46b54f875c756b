package dev.batchmesh.batcher.idempotency;

import dev.batchmesh.batcher.batching.CycleFlusher;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Reads the whole idempotency log into the {@link IdempotencyLedger} with its own consumer: no
 * group (every replica needs every partition), {@code read_committed} (a COMMITTED counts only once
 * its transaction, and so the request's records, committed), from the beginning at start. The ledger
 * is "caught up" once the end offsets seen at start are reached; until then keyed requests get 503
 * and the readiness group reports OUT_OF_SERVICE.
 *
 * <p>Starts before the flusher and the web server and stops after them, so keyed requests that are
 * still finishing during a graceful shutdown keep their reader.
 */
public final class IdempotencyReader implements SmartLifecycle {

    public static final int PHASE = CycleFlusher.PHASE - 1;

    private static final Logger log = LoggerFactory.getLogger(IdempotencyReader.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final long SWEEP_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final String topic;
    private final IdempotencyLedger ledger;
    private final Clock clock;
    private volatile Consumer<byte[], byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    public IdempotencyReader(Supplier<Consumer<byte[], byte[]>> consumers, String topic, IdempotencyLedger ledger, Clock clock) {
        this.consumers = consumers;
        this.topic = topic;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public void start() {
        Consumer<byte[], byte[]> created = consumers.get();
        List<PartitionInfo> infos = created.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            created.close();
            throw new IllegalStateException("topic " + topic + " has no partitions");
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        created.assign(partitions);
        created.seekToBeginning(partitions);
        Map<TopicPartition, Long> targets = new HashMap<>(created.endOffsets(partitions, Duration.ofSeconds(30)));
        ledger.partitions(partitions.size());
        consumer = created;
        running = true;
        thread = Thread.ofPlatform().name("batcher-idempotency-reader").start(() -> run(created, partitions, targets));
        log.info("Reading idempotency log {} ({} partitions) up to {}", topic, partitions.size(), targets.values());
    }

    private void run(Consumer<byte[], byte[]> reader, List<TopicPartition> partitions, Map<TopicPartition, Long> targets) {
        long lastSweep = System.nanoTime();
        try {
            while (running) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : reader.poll(POLL)) {
                        applyOne(record);
                    }
                    for (TopicPartition partition : partitions) {
                        long position = reader.position(partition);
                        ledger.advanced(partition.partition(), position);
                        if (!targets.isEmpty() && position >= targets.getOrDefault(partition, 0L)) {
                            targets.remove(partition);
                        }
                    }
                    if (targets.isEmpty() && !ledger.isCaughtUp()) {
                        ledger.markCaughtUp();
                        log.info("Idempotency log caught up: {} keys within the horizon", ledger.size());
                    }
                    if (System.nanoTime() - lastSweep > SWEEP_EVERY_NANOS) {
                        lastSweep = System.nanoTime();
                        int forgotten = ledger.sweep(clock.millis());
                        log.debug("Forgot {} expired idempotency keys", forgotten);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Broker trouble surfaces here; keyed requests time out waiting and get 503 meanwhile.
                    log.warn("Idempotency log read failed; retrying: {}", e.toString());
                    Thread.sleep(POLL);
                }
            }
        } catch (WakeupException e) {
            // stop() woke us
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reader.close(Duration.ofSeconds(5));
        }
    }

    private void applyOne(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        IdempotencyEntry entry = null;
        if (record.value() != null) {
            try {
                entry = IdempotencyEntryCodec.decode(record.value(), record.timestamp());
            } catch (RuntimeException e) {
                log.warn("Skipping undecodable idempotency record at {}-{}@{}", record.topic(), record.partition(), record.offset());
                return;
            }
            if (entry == null) {
                return;
            }
        }
        ledger.apply(IdempotencyKeys.fromKafkaKey(record.key()), entry);
    }

    @Override
    public void stop() {
        running = false;
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread reading = thread;
        if (reading != null) {
            try {
                reading.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ledger.close(new IllegalStateException("the batcher is shutting down"));
        thread = null;
        consumer = null;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
