package dev.batchmesh.aggregator.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.aggregate.PartialAggregateCodec;
import dev.batchmesh.core.aggregate.Statistics;
import dev.batchmesh.core.partial.SeriesPartials;
import dev.batchmesh.core.partial.SeriesPartialsCodec;
import dev.batchmesh.core.partial.WindowPartial;
import dev.batchmesh.core.series.SeriesKey;
import dev.batchmesh.core.testing.ExactStatistics;
import dev.batchmesh.core.testing.ValueShapes;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeTopologyTest {

    private static final long WINDOW = 10_000;
    private static final long T0 = 1_800_000_000_000L;
    private static final SeriesKey SERIES = new SeriesKey("acme", "latency", "checkout");
    private static final MergeSettings SETTINGS = new MergeSettings("partials", Duration.ofMillis(WINDOW), Duration.ofMinutes(2), 512);

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<WindowMerged> published = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> partials;
    private WindowStore<Bytes, byte[]> store;

    @BeforeEach
    void startDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        MergeTopology.build(builder, SETTINGS, new MergeMetrics(registry), published::add, MergeTracing.NONE);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(builder.build(), config);
        partials = driver.createInputTopic("partials", new ByteArraySerializer(), new ByteArraySerializer());
        store = driver.getWindowStore(MergeTopology.STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void shouldMergePartialsOfSeveralBatchesIntoTheDirectAggregation() {
        SplittableRandom random = new SplittableRandom(42);
        for (ValueShapes shape : ValueShapes.values()) {
            SeriesKey series = new SeriesKey("acme", "s", shape.name());
            double[] values = shape.sample(random, 1_000);
            int from = 0;
            for (int batch = 0; from < values.length; batch++) {
                int to = Math.min(values.length, from + 1 + random.nextInt(300));
                send(series, WINDOW, new WindowPartial(T0, PartialAggregate.of(200, Arrays.copyOfRange(values, from, to))));
                from = to;
            }

            Statistics actual = stored(series, T0).statistics();
            ExactStatistics expected = new ExactStatistics(values);
            assertThat(actual.count()).isEqualTo(expected.count());
            assertThat(actual.min()).isEqualTo(expected.min());
            assertThat(actual.max()).isEqualTo(expected.max());
            assertThat(ExactStatistics.close(expected.sum(), actual.sum(), 1e-9, expected.meanAbs() * values.length))
                    .as("sum of %s", shape).isTrue();
            assertThat(ExactStatistics.close(expected.mean(), actual.mean(), 1e-9, expected.meanAbs()))
                    .as("mean of %s", shape).isTrue();
            // relative to the values' magnitude, as pipeline-core's merge laws state it
            assertThat(ExactStatistics.close(expected.sampleStddev(), actual.stddev(), 1e-9, expected.meanAbs()))
                    .as("stddev of %s", shape).isTrue();
            assertThat(expected.rankDistance(0.5, actual.p50())).isLessThanOrEqualTo(0.02);
            assertThat(expected.rankDistance(0.99, actual.p99())).isLessThanOrEqualTo(0.02);
        }
        assertThat(mergedCount()).isGreaterThan(ValueShapes.values().length);
    }

    @Test
    void shouldKeepWindowsAndSeriesApart() {
        SeriesKey other = new SeriesKey("acme", "latency", "search");
        SeriesKey otherTenant = new SeriesKey("globex", "latency", "checkout");
        send(SERIES, WINDOW, new WindowPartial(T0, PartialAggregate.of(200, 1, 2)),
                new WindowPartial(T0 + WINDOW, PartialAggregate.of(200, 10)));
        send(other, WINDOW, new WindowPartial(T0, PartialAggregate.of(200, 100)));
        send(otherTenant, WINDOW, new WindowPartial(T0, PartialAggregate.of(200, 1000, 2000, 3000)));
        send(SERIES, WINDOW, new WindowPartial(T0, PartialAggregate.of(200, 3)));

        assertThat(stored(SERIES, T0).statistics().sum()).isEqualTo(6.0);
        assertThat(stored(SERIES, T0).count()).isEqualTo(3);
        assertThat(stored(SERIES, T0 + WINDOW).statistics().sum()).isEqualTo(10.0);
        assertThat(stored(other, T0).statistics().sum()).isEqualTo(100.0);
        assertThat(stored(otherTenant, T0).count()).isEqualTo(3);
        assertThat(store.fetch(Bytes.wrap(other.toBytes()), T0 + WINDOW)).isNull();
        assertThat(mergedCount()).isEqualTo(5);
    }

    @Test
    void shouldMergeEverySeriesOfAMessageThatCarriesSeveral() {
        SeriesKey other = new SeriesKey("acme", "latency", "search");
        long arrived = System.currentTimeMillis() - 1_000;
        sendTogether(List.of(
                new SeriesPartials(SERIES, WINDOW, arrived, List.of(new WindowPartial(T0, PartialAggregate.of(200, 1, 2)),
                        new WindowPartial(T0 + WINDOW, PartialAggregate.of(200, 10)))),
                new SeriesPartials(other, WINDOW, arrived, List.of(new WindowPartial(T0, PartialAggregate.of(200, 100))))));
        sendTogether(List.of(
                new SeriesPartials(other, WINDOW, arrived, List.of(new WindowPartial(T0, PartialAggregate.of(200, 50)))),
                new SeriesPartials(SERIES, WINDOW, arrived, List.of(new WindowPartial(T0, PartialAggregate.of(200, 3))))));

        assertThat(stored(SERIES, T0).statistics().sum()).isEqualTo(6.0);
        assertThat(stored(SERIES, T0 + WINDOW).statistics().sum()).isEqualTo(10.0);
        assertThat(stored(other, T0).statistics().sum()).isEqualTo(150.0);
        assertThat(mergedCount()).isEqualTo(5);
        assertThat(registry.get("aggregator.end.to.end.latency").timer().count()).as("timed once a message").isEqualTo(2);
    }

    @Test
    void shouldStillMergeVersionOneMessagesKeyedBySeries() {
        partials.pipeInput(SERIES.toBytes(), SeriesPartialsCodec.encodeValue(
                new SeriesPartials(SERIES, WINDOW, T0, List.of(new WindowPartial(T0, PartialAggregate.of(200, 1, 2))))));
        send(SERIES, WINDOW, new WindowPartial(T0, PartialAggregate.of(200, 3)));

        assertThat(stored(SERIES, T0).statistics().sum()).isEqualTo(6.0);
        assertThat(mergedCount()).isEqualTo(2);
    }

    @Test
    void shouldSkipAndCountPartialsOfAnotherWindowSizeAndKeepMerging() {
        send(SERIES, 60_000, new WindowPartial(T0, PartialAggregate.of(200, 5)), new WindowPartial(T0 + 60_000,
                PartialAggregate.of(200, 6)));
        send(SERIES, WINDOW, new WindowPartial(T0, PartialAggregate.of(200, 7)));

        assertThat(dropped("window-mismatch")).isEqualTo(2);
        assertThat(stored(SERIES, T0).statistics().sum()).isEqualTo(7.0);
        assertThat(mergedCount()).isEqualTo(1);
    }

    @Test
    void shouldSkipAndCountUndecodableMessagesAndKeepMerging() {
        byte[] valid = SeriesPartialsCodec.encodeValue(new SeriesPartials(SERIES, WINDOW, T0,
                List.of(new WindowPartial(T0, PartialAggregate.of(200, 4)))));
        partials.pipeInput(SERIES.toBytes(), new byte[] {1, 2, 3});
        partials.pipeInput(SERIES.toBytes(), Arrays.copyOf(valid, valid.length - 3));
        partials.pipeInput(SERIES.toBytes(), new byte[0]);
        partials.pipeInput(new byte[] {9}, valid);
        partials.pipeInput((byte[]) null, valid);
        byte[] newerVersion = valid.clone();
        newerVersion[0] = 9;
        partials.pipeInput(SERIES.toBytes(), newerVersion);
        send(SERIES, WINDOW, new WindowPartial(T0 + 5, PartialAggregate.of(200, 8)));
        partials.pipeInput(SERIES.toBytes(), valid);

        assertThat(dropped("bad-format")).isEqualTo(7);
        assertThat(stored(SERIES, T0).statistics().sum()).isEqualTo(4.0);
        assertThat(mergedCount()).isEqualTo(1);
    }

    @Test
    void shouldDropAndCountPartialsOlderThanTheStoreRetention() {
        send(SERIES, WINDOW, new WindowPartial(T0, PartialAggregate.of(200, 1)));
        send(SERIES, WINDOW, new WindowPartial(T0 - Duration.ofMinutes(10).toMillis(), PartialAggregate.of(200, 2)));
        send(SERIES, WINDOW, new WindowPartial(T0 - Duration.ofMinutes(1).toMillis(), PartialAggregate.of(200, 3)));

        assertThat(dropped("late")).isEqualTo(1);
        assertThat(store.fetch(Bytes.wrap(SERIES.toBytes()), T0 - Duration.ofMinutes(10).toMillis())).isNull();
        assertThat(stored(SERIES, T0 - Duration.ofMinutes(1).toMillis()).statistics().sum()).isEqualTo(3.0);
        assertThat(mergedCount()).isEqualTo(2);
    }

    @Test
    void shouldPublishTheWholeWindowStateAfterEveryMerge() {
        send(SERIES, WINDOW, new WindowPartial(T0, PartialAggregate.of(200, 1, 2)));
        send(SERIES, WINDOW, new WindowPartial(T0, PartialAggregate.of(200, 3)));

        assertThat(published).hasSize(2);
        assertThat(published.get(1).windowStart()).isEqualTo(T0);
        assertThat(published.get(1).seriesBytes()).isEqualTo(SERIES.toBytes());
        assertThat(published.get(1).aggregate().count()).isEqualTo(3);
        assertThat(published.get(1).aggregate().sum()).isEqualTo(6.0);
    }

    @Test
    void shouldNameEveryNodeSoInternalTopicsKeepTheirNames() {
        StreamsBuilder builder = new StreamsBuilder();
        MergeTopology.build(builder, SETTINGS, new MergeMetrics(registry), WindowMergeListener.NONE, MergeTracing.NONE);
        String description = builder.build().describe().toString();
        assertThat(description).contains("Source: partials-source (topics: [partials])",
                "Processor: merge-window-partials (stores: [window-aggregates])");
        assertThat(description).doesNotContain("KSTREAM-");

        send(SERIES, WINDOW, new WindowPartial(T0, PartialAggregate.of(200, 1)));
        assertThat(driver.producedTopicNames()).contains("aggregator-test-window-aggregates-changelog");
    }

    @Test
    void shouldTimeFromTheBatchsFirstArrivalToTheMerge() {
        long arrivedAt = System.currentTimeMillis() - 1_500;
        partials.pipeInput(SERIES.toBytes(), SeriesPartialsCodec.encodeValue(
                new SeriesPartials(SERIES, WINDOW, arrivedAt, List.of(new WindowPartial(T0, PartialAggregate.of(200, 1))))));

        Timer latency = registry.get("aggregator.end.to.end.latency").timer();
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.max(TimeUnit.MILLISECONDS)).isBetween(1_000.0, 60_000.0);
    }

    /** As processors write it: a version-2 message, here of one series. */
    private void send(SeriesKey series, long windowSize, WindowPartial... windows) {
        sendTogether(List.of(new SeriesPartials(series, windowSize, T0, List.of(windows))));
    }

    private void sendTogether(List<SeriesPartials> series) {
        for (SeriesPartialsCodec.Bundle bundle : SeriesPartialsCodec.encodeBundles(series, 1_000_000)) {
            partials.pipeInput((byte[]) null, bundle.value());
        }
    }

    private PartialAggregate stored(SeriesKey series, long windowStart) {
        byte[] value = store.fetch(Bytes.wrap(series.toBytes()), windowStart);
        assertThat(value).as("window %d of %s", windowStart, series).isNotNull();
        return PartialAggregateCodec.decode(value);
    }

    private double mergedCount() {
        return registry.get("aggregator.partials.merged").counter().count();
    }

    private double dropped(String reason) {
        return registry.get("aggregator.partials.dropped").tag("reason", reason).counter().count();
    }
}
