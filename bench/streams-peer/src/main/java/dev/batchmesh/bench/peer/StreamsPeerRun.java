package dev.batchmesh.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the per-record Kafka Streams application over a loaded input topic, from its first
 * record: a fresh application id, fresh local state, {@code auto.offset.reset=earliest}. The run is
 * complete when the application's consumer group has committed every input partition to its end,
 * which under exactly_once_v2 also means every state update is committed, and under at_least_once
 * that the state is flushed. The time counts from the moment Streams reports RUNNING, so the
 * one-off start-up (JVM warm-up aside) is reported apart.
 */
final class StreamsPeerRun {

    private static final Logger log = LoggerFactory.getLogger(StreamsPeerRun.class);
    private static final long POLL_MILLIS = 50;
    private static final Duration CLOSE_TIMEOUT = Duration.ofMinutes(1);

    /**
     * @param startupSeconds     from start() to the first RUNNING state
     * @param processedSeconds   from RUNNING until the last input record entered the topology
     * @param committedSeconds   from RUNNING until every input offset was committed: the measured time
     * @param aggregatedRecords  sum of the counts of every window in the store: equals the input unless records were dropped
     */
    record Outcome(String applicationId, double startupSeconds, double processedSeconds, double committedSeconds,
                   long aggregatedRecords, long windows, double closeSeconds) {
    }

    private final PeerOptions options;
    private final KafkaTopics topics;

    StreamsPeerRun(PeerOptions options, KafkaTopics topics) {
        this.options = options;
        this.topics = topics;
    }

    Outcome run(String inputTopic) {
        String applicationId = "bench-peer-" + (options.guarantee().equals(StreamsConfig.EXACTLY_ONCE_V2) ? "eos" : "alos")
                + "-" + System.currentTimeMillis();
        Path stateDir = createStateDir(options.stateDir());
        Map<TopicPartition, Long> ends = topics.endOffsets(inputTopic, options.partitions());
        LongAdder processed = new LongAdder();
        StreamsBuilder builder = new StreamsBuilder();
        PerRecordTopology.build(builder, inputTopic, options.window(), options.grace(), Duration.ofHours(24), processed);

        AtomicLong runningAt = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        KafkaStreams streams = new KafkaStreams(builder.build(), properties(applicationId, stateDir));
        streams.setStateListener((next, previous) -> {
            if (next == KafkaStreams.State.RUNNING) {
                runningAt.compareAndSet(0, System.nanoTime());
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        try {
            long startedAt = System.nanoTime();
            long deadline = startedAt + options.timeout().toNanos();
            log.info("Starting {} ({}, {} thread(s)) on {}", applicationId, options.guarantee(), options.threads(), inputTopic);
            streams.start();
            long processedAt = 0;
            long committedAt = 0;
            long nextReport = System.nanoTime() + 10_000_000_000L;
            while (committedAt == 0) {
                sleep();
                long now = System.nanoTime();
                if (failure.get() != null) {
                    throw new IllegalStateException("the Streams application failed: " + failure.get().getMessage(), failure.get());
                }
                if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                    throw new IllegalStateException("the Streams application stopped in state " + streams.state());
                }
                if (now > deadline) {
                    throw new IllegalStateException("not done within " + options.timeout() + ": " + processed.sum() + " of "
                            + options.records() + " records processed");
                }
                if (processedAt == 0 && processed.sum() >= options.records()) {
                    processedAt = now;
                }
                if (processedAt != 0 && topics.committedUpTo(applicationId, ends)) {
                    committedAt = System.nanoTime();
                }
                if (now > nextReport) {
                    log.info("{} of {} records processed", processed.sum(), options.records());
                    nextReport = now + 10_000_000_000L;
                }
            }
            long running = runningAt.get();
            long[] stored = storedCounts(streams);
            long closeStart = System.nanoTime();
            streams.close(CLOSE_TIMEOUT);
            double closeSeconds = (System.nanoTime() - closeStart) / 1e9;
            return new Outcome(applicationId, (running - startedAt) / 1e9, (processedAt - running) / 1e9,
                    (committedAt - running) / 1e9, stored[0], stored[1], closeSeconds);
        } finally {
            // a no-op after the timed close above; stops the application when the run failed
            streams.close(CLOSE_TIMEOUT);
            deleteRecursively(stateDir);
            if (!options.keepTopics()) {
                Set<String> internal = topics.namesStartingWith(applicationId + "-");
                topics.delete(internal);
            }
        }
    }

    private Properties properties(String applicationId, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, options.guarantee());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, options.threads());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, options.commitIntervalMs());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, options.cacheBytes());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return p;
    }

    /** Count of records and of windows in the store, read through interactive queries while the application runs. */
    private static long[] storedCounts(KafkaStreams streams) {
        ReadOnlyWindowStore<byte[], WindowStats> store = streams.store(
                StoreQueryParameters.fromNameAndType(PerRecordTopology.STORE, QueryableStoreTypes.<byte[], WindowStats>windowStore()));
        long records = 0;
        long windows = 0;
        try (KeyValueIterator<Windowed<byte[]>, WindowStats> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Windowed<byte[]>, WindowStats> next = all.next();
                records += next.value.count();
                windows++;
            }
        }
        return new long[] {records, windows};
    }

    private static Path createStateDir(Path parent) {
        try {
            if (parent == null) {
                return Files.createTempDirectory("bench-peer-state-");
            }
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, "bench-peer-state-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not delete the state directory {}: {}", dir, e.getMessage());
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
