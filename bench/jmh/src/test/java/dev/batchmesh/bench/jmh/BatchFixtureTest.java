package dev.batchmesh.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.partial.MicroBatchAggregator;
import dev.batchmesh.core.series.WindowSpec;
import org.junit.jupiter.api.Test;

class BatchFixtureTest {

    @Test
    void shouldHoldEveryRecordOnceGroupedByKeyInsideOneWindow() {
        BatchFixture fixture = BatchFixture.of(1000, 300, "zipf:1.1", 42);
        MicroBatch batch = fixture.batch();

        assertThat(batch.recordCount()).isEqualTo(1000);
        assertThat(batch.series()).hasSizeBetween(100, 300);
        assertThat(batch.series().stream().map(s -> s.series().key()).distinct().count()).isEqualTo(batch.series().size());
        long window = WindowSpec.DEFAULT.startOf(BatchFixture.FIRST_EVENT_MILLIS);
        for (SeriesPoints s : batch.series()) {
            for (long t : s.timestamps()) {
                assertThat(WindowSpec.DEFAULT.startOf(t)).isEqualTo(window);
            }
        }
        MicroBatchAggregator.Result result = new MicroBatchAggregator(WindowSpec.DEFAULT, 300_000, 200).aggregate(batch);
        assertThat(result.records()).isEqualTo(1000);
        assertThat(result.partials()).hasSize(batch.series().size());
    }
}
