package dev.batchmesh.batcher.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.batcher.batching.Cycles;
import dev.batchmesh.batcher.batching.FlushCycle;
import dev.batchmesh.batcher.batching.IngestBatch;
import dev.batchmesh.batcher.batching.PartitionBuffer;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.batch.SeriesPoints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MicroBatchAssemblerTest {

    private static final long ARRIVAL = 1_795_000_000_000L;

    @Test
    void shouldBuildOneBatchWhenTheBufferFitsTheLimits() {
        PartitionBuffer buffer = singleBuffer(List.of(request(ARRIVAL + 5, 10, "a", "b"), request(ARRIVAL, 4, "b", "c")));

        List<MicroBatch> batches = new MicroBatchAssembler(5000, 512 * 1024).assemble(buffer);

        assertThat(batches).singleElement().satisfies(batch -> {
            assertThat(batch.recordCount()).isEqualTo(14);
            assertThat(batch.createdAt()).as("earliest arrival among its records").isEqualTo(ARRIVAL);
            assertThat(batch.series()).extracting(s -> s.series().key()).containsExactly("a", "b", "c");
            SeriesPoints b = batch.series().get(1);
            assertThat(b.values()).as("b's records in arrival order").containsExactly(1, 3, 5, 7, 9, 0, 2);
        });
    }

    @Test
    void shouldSplitABufferOverTheRecordLimitWithoutLosingOrReorderingRecords() {
        PartitionBuffer buffer = singleBuffer(List.of(request(ARRIVAL, 2_500, "a", "b", "c", "d", "e")));

        List<MicroBatch> batches = new MicroBatchAssembler(1000, 512 * 1024).assemble(buffer);

        assertThat(batches).hasSize(3);
        assertThat(batches).allSatisfy(batch -> assertThat(batch.recordCount()).isLessThanOrEqualTo(1000));
        assertThat(new HashSet<>(batches.stream().map(MicroBatch::id).toList())).hasSize(3);
        assertThat(allValues(batches, "a")).containsExactlyElementsOf(
                IntStream.range(0, 2_500).filter(i -> i % 5 == 0).mapToObj(i -> (double) i).toList());
    }

    @Test
    void shouldSplitABufferOverTheByteLimitSoEveryBatchEncodesNearTheLimit() {
        PartitionBuffer buffer = singleBuffer(List.of(request(ARRIVAL, 10_000, "only")));
        int maxBytes = 16 * 1024;

        List<MicroBatch> batches = new MicroBatchAssembler(1_000_000, maxBytes).assemble(buffer);

        assertThat(batches.size()).isGreaterThan(5);
        assertThat(batches.stream().mapToInt(MicroBatch::recordCount).sum()).isEqualTo(10_000);
        assertThat(batches).allSatisfy(batch -> assertThat(MicroBatchCodec.encode(batch).length).isLessThanOrEqualTo(maxBytes));
    }

    private static List<Double> allValues(List<MicroBatch> batches, String key) {
        List<Double> values = new ArrayList<>();
        for (MicroBatch batch : batches) {
            for (SeriesPoints s : batch.series()) {
                if (s.series().key().equals(key)) {
                    for (double v : s.values()) {
                        values.add(v);
                    }
                }
            }
        }
        return values;
    }

    private static PartitionBuffer singleBuffer(List<IngestBatch> requests) {
        FlushCycle cycle = Cycles.of(requests, 1);
        assertThat(cycle.partitionBuffers()).hasSize(1);
        return cycle.partitionBuffers().getFirst();
    }

    private static IngestBatch request(long arrival, int n, String... keys) {
        String[] column = new String[n];
        long[] ts = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            column[i] = keys[i % keys.length];
            ts[i] = arrival - 1000 + i;
            values[i] = i;
        }
        return IngestBatch.group("tenant", "stream", n, column, ts, values, arrival, 1);
    }
}
