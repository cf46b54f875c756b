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
    void theBytesLastStoredGiveBackTheAggregateStoredWithThem() {
        DecodedWindows windows = new DecodedWindows(4);
        PartialAggregate aggregate = aggregateOf(1.5, 2.5, 7.0);
        byte[] encoded = PartialAggregateCodec.encode(aggregate);

        windows.stored(SERIES, 10_000, encoded, aggregate);

        assertThat(windows.decode(SERIES, 10_000, encoded)).isSameAs(aggregate);
    }

    @Test
    void equalBytesFromElsewhereAreDecodedNotTrusted() {
        DecodedWindows windows = new DecodedWindows(4);
        PartialAggregate aggregate = aggregateOf(1.5, 2.5, 7.0);
        byte[] encoded = PartialAggregateCodec.encode(aggregate);
        windows.stored(SERIES, 10_000, encoded, aggregate);

        PartialAggregate fromRocksDb = windows.decode(SERIES, 10_000, encoded.clone());
        PartialAggregate otherWindow = windows.decode(SERIES, 20_000, encoded);

        assertThat(fromRocksDb).isNotSameAs(aggregate);
        assertThat(fromRocksDb.count()).isEqualTo(3);
        assertThat(fromRocksDb.sum()).isEqualTo(11.0);
        assertThat(otherWindow).isNotSameAs(aggregate);
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
        PartialAggregate aggregate = aggregateOf(3.0);
        byte[] encoded = PartialAggregateCodec.encode(aggregate);
        windows.stored(SERIES, 0, encoded, aggregate);

        windows.clear();

        assertThat(windows.size()).isZero();
        assertThat(windows.decode(SERIES, 0, encoded)).isNotSameAs(aggregate);
    }

    @Test
    void aCapacityOfZeroRemembersNothing() {
        DecodedWindows windows = new DecodedWindows(0);
        PartialAggregate aggregate = aggregateOf(3.0);
        byte[] encoded = PartialAggregateCodec.encode(aggregate);

        windows.stored(SERIES, 0, encoded, aggregate);

        assertThat(windows.size()).isZero();
        assertThat(windows.decode(SERIES, 0, encoded)).isNotSameAs(aggregate);
    }

    private static PartialAggregate aggregateOf(double... values) {
        WindowAccumulator accumulator = new WindowAccumulator(200);
        for (double v : values) {
            accumulator.add(v);
        }
        return accumulator.toPartial();
    }
}
