package dev.batchmesh.core.partial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.series.SeriesKey;
import dev.batchmesh.core.series.WindowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MicroBatchAggregatorTest {

    private static final long NOW = 1_790_000_005_000L;
    private final MicroBatchAggregator aggregator = new MicroBatchAggregator(WindowSpec.DEFAULT, 60_000, 200);

    @Test
    void shouldProduceOnePartialPerSeriesAndWindow() {
        SeriesKey key = new SeriesKey("t", "s", "k");
        long w0 = WindowSpec.DEFAULT.startOf(NOW);
        MicroBatch batch = new MicroBatch(UUID.randomUUID(), NOW,
                List.of(new SeriesPoints(key, new long[] {w0 + 1, w0 + 2, w0 - 1}, new double[] {1, 2, 10})));

        MicroBatchAggregator.Result result = aggregator.aggregate(batch);

        assertThat(result.partials()).singleElement().satisfies(p -> {
            assertThat(p.series()).isEqualTo(key);
            assertThat(p.windows()).extracting(WindowPartial::windowStart).containsExactly(w0 - 10_000, w0);
            assertThat(p.windows().get(1).aggregate().sum()).isEqualTo(3.0);
        });
        assertThat(result.records()).isEqualTo(3);
    }

    @Test
    void shouldDropAndCountRecordsWhoseWindowClosedBeforeTheGracePeriod() {
        SeriesKey key = new SeriesKey("t", "s", "k");
        long closedLongAgo = NOW - 120_000;
        MicroBatch batch = new MicroBatch(UUID.randomUUID(), NOW,
                List.of(new SeriesPoints(key, new long[] {closedLongAgo, NOW - 30_000}, new double[] {1, 2})));

        MicroBatchAggregator.Result result = aggregator.aggregate(batch);

        assertThat(result.lateRecords()).isEqualTo(1);
        assertThat(result.records()).isEqualTo(1);
        assertThat(result.partials().getFirst().windows()).singleElement()
                .extracting(w -> w.aggregate().sum()).isEqualTo(2.0);
    }

    @Test
    void shouldAggregateSeveralBatchesIntoOnePartialPerSeriesAndWindowEqualToTheirMerge() {
        SplittableRandom r = new SplittableRandom(7);
        long w0 = WindowSpec.DEFAULT.startOf(NOW);
        List<MicroBatch> batches = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            List<SeriesPoints> series = new ArrayList<>();
            for (int k = 0; k < 20; k++) {
                int n = 1 + r.nextInt(4);
                long[] ts = new long[n];
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    ts[i] = w0 - 10_000 + r.nextInt(20_000);
                    values[i] = r.nextDouble() * 100;
                }
                series.add(new SeriesPoints(new SeriesKey("t", "s", "k" + ((k + b) % 25)), ts, values));
            }
            batches.add(new MicroBatch(UUID.randomUUID(), NOW + b, series));
        }

        MicroBatchAggregator.Result together = aggregator.aggregate(batches);

        Map<String, PartialAggregate> merged = new HashMap<>();
        int records = 0;
        for (MicroBatch batch : batches) {
            MicroBatchAggregator.Result alone = aggregator.aggregate(batch);
            records += alone.records();
            for (SeriesPartials p : alone.partials()) {
                for (WindowPartial w : p.windows()) {
                    merged.merge(p.series().key() + "@" + w.windowStart(), w.aggregate(), PartialAggregate::merge);
                }
            }
        }
        assertThat(together.records()).isEqualTo(records);
        assertThat(together.partials()).extracting(SeriesPartials::series).doesNotHaveDuplicates();
        int windows = 0;
        for (SeriesPartials p : together.partials()) {
            for (WindowPartial w : p.windows()) {
                PartialAggregate expected = merged.get(p.series().key() + "@" + w.windowStart());
                assertThat(w.aggregate().count()).isEqualTo(expected.count());
                assertThat(w.aggregate().sum()).isCloseTo(expected.sum(), within(1e-9));
                assertThat(w.aggregate().min()).isEqualTo(expected.min());
                assertThat(w.aggregate().max()).isEqualTo(expected.max());
                windows++;
            }
        }
        assertThat(windows).isEqualTo(merged.size());
    }

    @Test
    void shouldJudgeLatenessByEachBatchsOwnArrivalAndKeepTheEarliestArrivalAndFirstSource() {
        SeriesKey key = new SeriesKey("t", "s", "k");
        SeriesKey other = new SeriesKey("t", "s", "other");
        long old = NOW - 100_000;
        MicroBatch early = new MicroBatch(UUID.randomUUID(), NOW - 90_000,
                List.of(new SeriesPoints(other, new long[] {NOW - 95_000}, new double[] {5})));
        MicroBatch lateForIt = new MicroBatch(UUID.randomUUID(), NOW,
                List.of(new SeriesPoints(key, new long[] {old}, new double[] {1}),
                        new SeriesPoints(other, new long[] {NOW - 1_000}, new double[] {2})));
        MicroBatch timely = new MicroBatch(UUID.randomUUID(), NOW - 95_000,
                List.of(new SeriesPoints(key, new long[] {old}, new double[] {3})));

        MicroBatchAggregator.Result result = aggregator.aggregate(List.of(early, lateForIt, timely));

        assertThat(result.lateRecords()).as("the record 100 s old is late only for the batch that arrived at NOW").isEqualTo(1);
        assertThat(result.records()).isEqualTo(3);
        assertThat(result.partials()).extracting(SeriesPartials::series).containsExactly(other, key);
        assertThat(result.sources()).containsExactly(0, 2);
        assertThat(result.partials()).extracting(SeriesPartials::batchCreatedAt).containsExactly(NOW - 90_000, NOW - 95_000);
    }

    @Test
    void shouldKeepPartialsWithinThreeTimesTheBatchWhenEveryKeyHasOneRecord() {
        SplittableRandom r = new SplittableRandom(11);
        List<SeriesPoints> series = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            series.add(new SeriesPoints(new SeriesKey("tenant-1", "latency", "key-" + i),
                    new long[] {NOW - r.nextInt(5_000)}, new double[] {r.nextDouble() * 100}));
        }
        MicroBatch batch = new MicroBatch(UUID.randomUUID(), NOW, series);
        int batchBytes = MicroBatchCodec.encode(batch).length;

        int partialBytes = 0;
        for (SeriesPartials p : aggregator.aggregate(batch).partials()) {
            partialBytes += p.series().toBytes().length + SeriesPartialsCodec.encodeValue(p).length;
        }

        assertThat(partialBytes).as("partials %d bytes vs batch %d bytes", partialBytes, batchBytes)
                .isLessThanOrEqualTo(3 * batchBytes);
    }

    @Test
    void shouldRoundTripSeriesPartials() {
        SeriesKey key = new SeriesKey("t", "s", "k");
        SeriesPartials p = new SeriesPartials(key, 10_000, NOW,
                List.of(new WindowPartial(-10_000, PartialAggregate.of(200, 1, 2)), new WindowPartial(NOW, PartialAggregate.of(200, 3))));

        SeriesPartials decoded = SeriesPartialsCodec.decodeMessage(key.toBytes(), SeriesPartialsCodec.encodeValue(p)).getFirst();

        assertThat(decoded.series()).isEqualTo(key);
        assertThat(decoded.windowSizeMillis()).isEqualTo(10_000);
        assertThat(decoded.batchCreatedAt()).isEqualTo(NOW);
        assertThat(decoded.windows()).extracting(WindowPartial::windowStart).containsExactly(-10_000L, NOW);
        assertThat(decoded.windows()).extracting(w -> w.aggregate().count()).containsExactly(2L, 1L);
    }
}
