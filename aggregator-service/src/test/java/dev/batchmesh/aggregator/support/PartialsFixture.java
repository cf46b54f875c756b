package dev.batchmesh.aggregator.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.partial.SeriesPartials;
import dev.batchmesh.core.partial.SeriesPartialsCodec;
import dev.batchmesh.core.partial.WindowPartial;
import dev.batchmesh.core.series.SeriesKey;
import dev.batchmesh.core.testing.ExactStatistics;
import dev.batchmesh.core.testing.ValueShapes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.DoubleStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Seeded partials for many series and windows, as processors would publish them (each series' records
 * split over several batches), and the raw values they summarise, to compute expected answers
 * independently with {@link ExactStatistics}.
 */
public final class PartialsFixture {

    public static final long WINDOW = 10_000;

    private final Map<SeriesKey, TreeMap<Long, double[]>> values = new LinkedHashMap<>();
    /** The first batch of every series, in the version-1 format an older processor writes. */
    private final List<SeriesPartials> keyed = new ArrayList<>();
    /** The other batches, which share version-2 messages per partition as processors write them now. */
    private final List<List<SeriesPartials>> bundledBatches = List.of(new ArrayList<>(), new ArrayList<>());

    public static PartialsFixture generate(long seed, long firstWindow, int windows, List<SeriesKey> series) {
        SplittableRandom random = new SplittableRandom(seed);
        PartialsFixture fixture = new PartialsFixture();
        ValueShapes[] shapes = ValueShapes.values();
        for (int s = 0; s < series.size(); s++) {
            SeriesKey key = series.get(s);
            ValueShapes shape = shapes[s % shapes.length];
            TreeMap<Long, double[]> byWindow = new TreeMap<>();
            List<List<WindowPartial>> batches = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int w = 0; w < windows; w++) {
                if (random.nextInt(5) == 0) {
                    continue; // some windows stay empty and must be left out of answers
                }
                long start = firstWindow + w * WINDOW;
                double[] v = shape.sample(random, random.nextInt(4) == 0 ? 1 : 2 + random.nextInt(80));
                byWindow.put(start, v);
                int cut1 = random.nextInt(v.length + 1);
                int cut2 = cut1 + random.nextInt(v.length - cut1 + 1);
                addChunk(batches.get(0), start, Arrays.copyOfRange(v, 0, cut1));
                addChunk(batches.get(1), start, Arrays.copyOfRange(v, cut1, cut2));
                addChunk(batches.get(2), start, Arrays.copyOfRange(v, cut2, v.length));
            }
            fixture.values.put(key, byWindow);
            for (int b = 0; b < batches.size(); b++) {
                if (!batches.get(b).isEmpty()) {
                    SeriesPartials partials = new SeriesPartials(key, WINDOW, System.currentTimeMillis(), batches.get(b));
                    (b == 0 ? fixture.keyed : fixture.bundledBatches.get(b - 1)).add(partials);
                }
            }
        }
        return fixture;
    }

    private static void addChunk(List<WindowPartial> batch, long start, double[] chunk) {
        if (chunk.length > 0) {
            batch.add(new WindowPartial(start, PartialAggregate.of(PartialAggregate.DEFAULT_SKETCH_K, chunk)));
        }
    }

    public void produceTo(String bootstrapServers) {
        produce(bootstrapServers, messages(partitionsOfPartials(bootstrapServers)));
    }

    /** Every batch as {@code partials} messages for a topic of {@code partitions} partitions. */
    public List<ProducerRecord<byte[], byte[]>> messages(int partitions) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (SeriesPartials partials : keyed) {
            out.add(new ProducerRecord<>("partials", partials.series().toBytes(), SeriesPartialsCodec.encodeValue(partials)));
        }
        for (List<SeriesPartials> batch : bundledBatches) {
            for (int p = 0; p < partitions; p++) {
                int partition = p;
                List<SeriesPartials> ofPartition = batch.stream().filter(s -> s.series().partition(partitions) == partition).toList();
                // small messages, so a partition's series span several of them
                for (SeriesPartialsCodec.Bundle bundle : SeriesPartialsCodec.encodeBundles(ofPartition, 2_048)) {
                    out.add(new ProducerRecord<>("partials", partition, (byte[]) null, bundle.value()));
                }
            }
        }
        return out;
    }

    private static int partitionsOfPartials(String bootstrapServers) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.partitionsFor("partials").size();
        }
    }

    public static void produce(String bootstrapServers, List<ProducerRecord<byte[], byte[]>> records) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    public List<SeriesKey> series() {
        return List.copyOf(values.keySet());
    }

    /** Expected output windows of one series: base windows with start in [from, to) merged per step bucket. */
    public Map<Long, double[]> buckets(SeriesKey series, long from, long to, long step) {
        Map<Long, double[]> out = new TreeMap<>();
        values.getOrDefault(series, new TreeMap<>()).subMap(from, true, to, false).forEach((start, v) ->
                out.merge(Math.floorDiv(start, step) * step, v, PartialsFixture::concat));
        return out;
    }

    public double[] streamValues(String tenant, String stream, long from, long to) {
        return values.entrySet().stream()
                .filter(e -> e.getKey().tenant().equals(tenant) && e.getKey().stream().equals(stream))
                .flatMap(e -> e.getValue().subMap(from, true, to, false).values().stream())
                .reduce(new double[0], PartialsFixture::concat);
    }

    public SortedSet<String> keys(String tenant, String stream, long from, long to) {
        SortedSet<String> keys = new TreeSet<>();
        values.forEach((series, windows) -> {
            if (series.tenant().equals(tenant) && series.stream().equals(stream)
                    && !windows.subMap(from, true, to, false).isEmpty()) {
                keys.add(series.key());
            }
        });
        return keys;
    }

    private static double[] concat(double[] a, double[] b) {
        return DoubleStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
    }

    /** The API's statistics of one window against the exact statistics of its raw values. */
    public static void assertWindow(QueryAnswers.Window actual, long start, long end, double[] values) {
        ExactStatistics exact = new ExactStatistics(values);
        String what = "window " + actual.start();
        assertThat(actual.start()).isEqualTo(Instant.ofEpochMilli(start).toString());
        assertThat(actual.end()).isEqualTo(Instant.ofEpochMilli(end).toString());
        assertThat(actual.count()).as(what + " count").isEqualTo(exact.count());
        assertThat(actual.min()).as(what + " min").isEqualTo(exact.min());
        assertThat(actual.max()).as(what + " max").isEqualTo(exact.max());
        double scale = exact.meanAbs();
        assertThat(ExactStatistics.close(exact.sum(), actual.sum(), 1e-9, scale)).as(what + " sum %s vs %s", actual.sum(),
                exact.sum()).isTrue();
        assertThat(ExactStatistics.close(exact.mean(), actual.mean(), 1e-9, scale)).as(what + " mean").isTrue();
        if (exact.count() < 2) {
            assertThat(actual.stddev()).as(what + " stddev").isNull();
        } else {
            assertThat(ExactStatistics.close(exact.sampleStddev(), actual.stddev(), 1e-9, scale)).as(what + " stddev")
                    .isTrue();
        }
        double[] quantiles = {0.5, 0.9, 0.95, 0.99};
        Double[] reported = {actual.p50(), actual.p90(), actual.p95(), actual.p99()};
        for (int i = 0; i < quantiles.length; i++) {
            assertThat(reported[i]).as(what + " p" + quantiles[i]).isNotNull();
            assertThat(exact.rankDistance(quantiles[i], reported[i])).as(what + " p" + quantiles[i])
                    .isLessThanOrEqualTo(0.02);
        }
    }
}
