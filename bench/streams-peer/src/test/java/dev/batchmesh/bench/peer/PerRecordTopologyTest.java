package dev.batchmesh.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.batchmesh.core.series.SeriesKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PerRecordTopologyTest {

    private static final String INPUT = "records";
    private static final byte[] CHECKOUT = new SeriesKey("t", "latency", "checkout").toBytes();
    private static final byte[] SEARCH = new SeriesKey("t", "latency", "search").toBytes();
    private static final long WINDOW = 10_000;

    private final LongAdder processed = new LongAdder();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;

    @BeforeEach
    void startDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        PerRecordTopology.build(builder, INPUT, Duration.ofMillis(WINDOW), Duration.ofSeconds(5), Duration.ofHours(24), processed);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "per-record-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props);
        input = driver.createInputTopic(INPUT, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void send(byte[] series, double value, long timestamp, SplittableRandom padding) {
        input.pipeInput(series, PointValues.encode(value, 64, padding), timestamp);
    }

    private Map<String, WindowStats> stored() {
        WindowStore<byte[], WindowStats> store = driver.getWindowStore(PerRecordTopology.STORE);
        Map<String, WindowStats> out = new HashMap<>();
        try (KeyValueIterator<Windowed<byte[]>, WindowStats> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Windowed<byte[]>, WindowStats> next = all.next();
                out.put(SeriesKey.fromBytes(next.key.key()).key() + "@" + next.key.window().start(), next.value);
            }
        }
        return out;
    }

    @Test
    void shouldAggregateEachSeriesPerWindowLikeADirectComputation() {
        SplittableRandom random = new SplittableRandom(5);
        long base = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        Map<String, List<Double>> expected = new HashMap<>();
        for (int i = 0; i < 600; i++) {
            byte[] series = random.nextBoolean() ? CHECKOUT : SEARCH;
            double value = Math.round(20 * Math.exp(0.8 * random.nextGaussian()) * 1000) / 1000.0;
            // two windows' worth of time, each record up to 2 s out of order (grace is 5 s)
            long timestamp = base + i * 30L - random.nextLong(2000);
            send(series, value, timestamp, random);
            long windowStart = Math.floorDiv(timestamp, WINDOW) * WINDOW;
            expected.computeIfAbsent(SeriesKey.fromBytes(series).key() + "@" + windowStart, k -> new ArrayList<>()).add(value);
        }

        Map<String, WindowStats> stored = stored();
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((window, values) -> {
            WindowStats stats = stored.get(window);
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double variance = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (values.size() - 1);
            assertThat(stats.count()).as(window).isEqualTo(values.size());
            assertThat(stats.sum()).as(window).isCloseTo(values.stream().mapToDouble(Double::doubleValue).sum(), within(1e-6));
            assertThat(stats.min()).as(window).isEqualTo(values.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
            assertThat(stats.max()).as(window).isEqualTo(values.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
            assertThat(stats.mean()).as(window).isCloseTo(mean, within(1e-9));
            assertThat(stats.sampleVariance()).as(window).isCloseTo(variance, within(variance * 1e-9));
        });
        assertThat(processed.sum()).isEqualTo(600);
    }

    @Test
    void shouldDropARecordWhoseWindowClosedMoreThanGraceAgo() {
        SplittableRandom padding = new SplittableRandom(1);
        send(CHECKOUT, 1.0, 0, padding);
        send(CHECKOUT, 2.0, 30_000, padding);
        // window [0, 10 s) closed at 10 s; stream time 30 s is past its 5 s grace
        send(CHECKOUT, 3.0, 5_000, padding);

        Map<String, WindowStats> stored = stored();
        assertThat(stored.get("checkout@0").count()).isEqualTo(1);
        assertThat(stored.get("checkout@30000").count()).isEqualTo(1);
        assertThat(processed.sum()).isEqualTo(3);
    }
}
