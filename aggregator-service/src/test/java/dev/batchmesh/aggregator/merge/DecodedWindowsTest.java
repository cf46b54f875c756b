package dev.batchmesh.aggregator.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.aggregate.PartialAggregateCodec;
import dev.batchmesh.core.aggregate.WindowAccumulator;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class DecodedWindowsTest {

    private static final Bytes SERIES = Bytes.wrap(new byte[] {1, 'a', 1, 's', 'k'});

    @Test
    void onlyTheBytesLastStoredGiveBackTheAggregateStoredWithThem() {
        DecodedWindows windows = new DecodedWindows(4);
        PartialAggregate aggregate = aggregateOf(1.5, 2.5, 7.0);
        byte[] encoded = PartialAggregateCodec.encode(aggregate);

        windows.stored(SERIES, 10_000, encoded, aggregate);

        assertThat(windows.decode(SERIES, 10_000, encoded)).isSameAs(aggregate);
        // equal bytes that are not the array put (read back from RocksDB) are decoded, not trusted
        PartialAggregate fromRocksDb = windows.decode(SERIES, 10_000, encoded.clone());
        assertThat(fromRocksDb).isNotSameAs(aggregate);
        assertThat(fromRocksDb.count()).isEqualTo(3);
        assertThat(fromRocksDb.sum()).isEqualTo(11.0);
        assertThat(windows.decode(SERIES, 20_000, encoded)).as("another window").isNotSameAs(aggregate);
    }

    @Test
    void keepsOnlyTheMostRecentlyUsedWindows() {
        DecodedWindows windows = new DecodedWindows(2);
        PartialAggregate aggregate = aggregateOf(3.0);
        byte[] first = PartialAggregateCodec.encode(aggregate);
        byte[] second = PartialAggregateCodec.encode(aggregate);
        byte[] third = PartialAggregateCodec.encode(aggregate);

        windows.stored(SERIES, 0, first, aggregate);
        windows.stored(SERIES, 10_000, second, aggregate);
        windows.decode(SERIES, 0, first); // used again: the window at 10 s is now the eldest
        windows.stored(SERIES, 20_000, third, aggregate);

        assertThat(windows.size()).isEqualTo(2);
        assertThat(windows.decode(SERIES, 0, first)).isSameAs(aggregate);
        assertThat(windows.decode(SERIES, 10_000, second)).isNotSameAs(aggregate);
        assertThat(windows.decode(SERIES, 20_000, third)).isSameAs(aggregate);
    }

    @Test
    void forgetsEverythingWhenCleared() {
        DecodedWindows windows = new DecodedWindows(4);
        byte[] encoded = storeAWindow(windows);

        windows.clear();

        assertForgotten(windows, encoded);
    }

    @Test
    void aCapacityOfZeroRemembersNothing() {
        DecodedWindows windows = new DecodedWindows(0);

        assertForgotten(windows, storeAWindow(windows));
    }

    private static byte[] storeAWindow(DecodedWindows windows) {
        PartialAggregate aggregate = aggregateOf(3.0);
        byte[] encoded = PartialAggregateCodec.encode(aggregate);
        windows.stored(SERIES, 0, encoded, aggregate);
        return encoded;
    }

    private static void assertForgotten(DecodedWindows windows, byte[] encoded) {
        assertThat(windows.size()).isZero();
        PartialAggregate decoded = windows.decode(SERIES, 0, encoded);
        assertThat(decoded.count()).as("decoded from the bytes").isEqualTo(1);
        assertThat(windows.decode(SERIES, 0, encoded)).as("a fresh decode each time").isNotSameAs(decoded);
    }

    private static PartialAggregate aggregateOf(double... values) {
        WindowAccumulator accumulator = new WindowAccumulator(200);
        for (double v : values) {
            accumulator.add(v);
        }
        return accumulator.toPartial();
    }
}
