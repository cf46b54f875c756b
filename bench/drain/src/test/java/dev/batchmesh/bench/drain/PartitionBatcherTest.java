package dev.batchmesh.bench.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.bench.workload.Arguments;
import dev.batchmesh.bench.workload.WorkloadGenerator;
import dev.batchmesh.bench.workload.WorkloadRecord;
import dev.batchmesh.bench.workload.WorkloadSpec;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.series.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartitionBatcherTest {

    private static List<PartitionBatcher.Cut> cutAll(PartitionBatcher batcher, WorkloadGenerator generator, int records) {
        List<PartitionBatcher.Cut> cuts = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            PartitionBatcher.Cut cut = batcher.add(generator.next());
            if (cut != null) {
                cuts.add(cut);
            }
        }
        cuts.addAll(batcher.flush());
        return cuts;
    }

    @ParameterizedTest(name = "{0} keys {1}, {2} partitions, {3} records a batch, seed {4}")
    @CsvSource({
            "1000, uniform, 6, 1000, 42",
            "300, zipf:1.1, 6, 1000, 7",
            "5, uniform, 6, 100, 3",
            "2000, zipf, 1, 5000, 11",
            "50, uniform, 13, 37, 99"})
    void shouldPutOnlySeriesOfItsOwnPartitionInEachBatch(int keys, String distribution, int partitions, int batchRecords, long seed) {
        WorkloadSpec spec = WorkloadSpec.from(Arguments.parse("--keys", Integer.toString(keys), "--key-distribution", distribution,
                "--seed", Long.toString(seed)));
        PartitionBatcher batcher = new PartitionBatcher("dev", "latency", partitions, batchRecords, () -> 1_000L);

        List<PartitionBatcher.Cut> cuts = cutAll(batcher, new WorkloadGenerator(spec), 20_000);

        assertThat(cuts).isNotEmpty();
        for (PartitionBatcher.Cut cut : cuts) {
            assertThat(cut.partition()).isBetween(0, partitions - 1);
            for (SeriesPoints series : cut.batch().series()) {
                assertThat(SeriesKey.partitionOf(series.series().toBytes(), partitions))
                        .as("partition of %s in a batch for partition %d (seed %d)", series.series(), cut.partition(), seed)
                        .isEqualTo(cut.partition());
            }
        }
    }

    @ParameterizedTest(name = "{0} records a batch")
    @CsvSource({"1", "100", "1000", "5000"})
    void shouldCutFullBatchesAndKeepEveryRecordOnce(int batchRecords) {
        WorkloadSpec spec = WorkloadSpec.from(Arguments.parse("--keys", "300", "--key-distribution", "zipf:1.1"));
        WorkloadGenerator generator = new WorkloadGenerator(spec);
        PartitionBatcher batcher = new PartitionBatcher("dev", "latency", 6, batchRecords, () -> 1_000L);
        List<PartitionBatcher.Cut> cut = new ArrayList<>();
        for (int i = 0; i < 12_345; i++) {
            PartitionBatcher.Cut c = batcher.add(generator.next());
            if (c != null) {
                cut.add(c);
            }
        }

        List<PartitionBatcher.Cut> flushed = batcher.flush();

        assertThat(cut).allSatisfy(c -> assertThat(c.batch().recordCount()).isEqualTo(batchRecords));
        assertThat(flushed).hasSizeLessThanOrEqualTo(6)
                .allSatisfy(c -> assertThat(c.batch().recordCount()).isBetween(1, batchRecords - 1));
        assertThat(flushed.stream().map(PartitionBatcher.Cut::partition).distinct().count()).isEqualTo(flushed.size());
        assertThat(cut.stream().mapToInt(c -> c.batch().recordCount()).sum()
                + flushed.stream().mapToInt(c -> c.batch().recordCount()).sum()).isEqualTo(12_345);
        assertThat(batcher.flush()).isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"1", "2"})
    void shouldKeepEachSeriesInGenerationOrder(long seed) {
        WorkloadSpec spec = WorkloadSpec.from(Arguments.parse("--keys", "40", "--seed", Long.toString(seed), "--jitter-ms", "2000"));
        WorkloadGenerator expected = new WorkloadGenerator(spec);
        PartitionBatcher batcher = new PartitionBatcher("dev", "latency", 3, 250, () -> 1_000L);
        List<WorkloadRecord> generated = new ArrayList<>();
        List<PartitionBatcher.Cut> cuts = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            WorkloadRecord r = expected.next();
            generated.add(r);
            PartitionBatcher.Cut cut = batcher.add(r);
            if (cut != null) {
                cuts.add(cut);
            }
        }
        cuts.addAll(batcher.flush());

        assertThat(DecodedRecords.perKey(cuts.stream().map(PartitionBatcher.Cut::batch).toList()))
                .isEqualTo(DecodedRecords.perKey(generated));
    }
}
