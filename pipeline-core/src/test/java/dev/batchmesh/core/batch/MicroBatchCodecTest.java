package dev.batchmesh.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.batchmesh.core.codec.MalformedDataException;
import dev.batchmesh.core.codec.UnsupportedFormatVersionException;
import dev.batchmesh.core.series.SeriesKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MicroBatchCodecTest {

    static MicroBatch randomBatch(SplittableRandom r, int seriesCount, int recordsPerSeries) {
        long now = 1_790_000_000_000L;
        List<SeriesPoints> series = new ArrayList<>();
        for (int i = 0; i < seriesCount; i++) {
            String tenant = "tenant-" + (i % 2);
            String stream = "stream." + (i % 3);
            int n = 1 + r.nextInt(recordsPerSeries);
            long[] ts = new long[n];
            double[] values = new double[n];
            for (int j = 0; j < n; j++) {
                ts[j] = now + r.nextLong(-60_000, 60_000);
                values[j] = r.nextGaussian() * 100;
            }
            series.add(new SeriesPoints(new SeriesKey(tenant, stream, "key-" + i + "-ü"), ts, values));
        }
        return new MicroBatch(UUID.randomUUID(), now, series);
    }

    @Test
    void shouldRoundTripEverySeriesTimestampAndValue() {
        SplittableRandom r = new SplittableRandom(1);
        for (int round = 0; round < 200; round++) {
            MicroBatch batch = randomBatch(r, 1 + r.nextInt(50), 1 + r.nextInt(40));

            MicroBatch decoded = MicroBatchCodec.decode(MicroBatchCodec.encode(batch));

            assertThat(decoded.id()).isEqualTo(batch.id());
            assertThat(decoded.createdAt()).isEqualTo(batch.createdAt());
            assertThat(decoded.recordCount()).isEqualTo(batch.recordCount());
            assertThat(decoded.series()).hasSameSizeAs(batch.series());
            for (SeriesPoints expected : batch.series()) {
                SeriesPoints actual = decoded.series().stream().filter(s -> s.series().equals(expected.series())).findFirst().orElseThrow();
                assertThat(actual.timestamps()).containsExactly(expected.timestamps());
                assertThat(actual.values()).containsExactly(expected.values());
            }
        }
    }

    @Test
    void shouldCostAboutTenBytesPerRecordPlusKeysOnce() {
        MicroBatch batch = randomBatch(new SplittableRandom(2), 100, 200);
        int keyBytes = batch.series().stream().mapToInt(s -> s.series().key().length() + 2).sum();

        int size = MicroBatchCodec.encode(batch).length;

        assertThat(size).isLessThanOrEqualTo(64 + keyBytes + batch.recordCount() * 12);
    }

    @Test
    void shouldRejectUnknownVersionWithoutDecoding() {
        byte[] bytes = MicroBatchCodec.encode(randomBatch(new SplittableRandom(3), 3, 3));
        bytes[1] = 2;

        assertThatThrownBy(() -> MicroBatchCodec.decode(bytes))
                .isInstanceOf(UnsupportedFormatVersionException.class)
                .hasMessageContaining("version 2");
        assertThat(MicroBatchCodec.versionOf(bytes)).isEqualTo(2);
    }

    @Test
    void shouldRejectEveryTruncationAndTrailingBytes() {
        byte[] bytes = MicroBatchCodec.encode(randomBatch(new SplittableRandom(4), 5, 5));
        for (int len = 0; len < bytes.length; len++) {
            byte[] truncated = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> MicroBatchCodec.decode(truncated)).as("length %d", len).isInstanceOf(MalformedDataException.class);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> MicroBatchCodec.decode(longer)).isInstanceOf(MalformedDataException.class);
    }

    @Test
    void shouldFailOnlyWithMalformedDataExceptionOnRandomCorruption() {
        SplittableRandom r = new SplittableRandom(5);
        byte[] original = MicroBatchCodec.encode(randomBatch(r, 20, 10));
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = original.clone();
            for (int m = 0; m < 1 + r.nextInt(3); m++) {
                bytes[2 + r.nextInt(bytes.length - 2)] = (byte) r.nextInt(256);
            }
            Throwable thrown = catchThrowable(() -> MicroBatchCodec.decode(bytes));
            assertThat(thrown).as("round %d", round).satisfiesAnyOf(
                    t -> assertThat(t).isNull(),
                    t -> assertThat(t).isInstanceOf(MalformedDataException.class));
        }
    }
}
