package dev.batchmesh.aggregator.query;

import dev.batchmesh.aggregator.merge.AggregatorStreams;
import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.aggregate.PartialAggregateCodec;
import dev.batchmesh.core.series.SeriesKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.springframework.stereotype.Component;

/**
 * Reads this instance's part of the window store: the windows of the partitions whose tasks are
 * active here. Blocking (RocksDB), so callers run it off the event loop.
 */
@Component
class LocalAggregates {

    private final AggregatorStreams streams;

    LocalAggregates(AggregatorStreams streams) {
        this.streams = streams;
    }

    /** The windows of one series in range, merged into output windows aligned to multiples of the step. */
    List<WindowView> windows(SeriesKey series, TimeRange range, long stepMillis) {
        Map<Long, PartialAggregate> buckets = new TreeMap<>();
        ReadOnlyWindowStore<Bytes, byte[]> store = streams.localStore();
        try (WindowStoreIterator<byte[]> it = store.fetch(Bytes.wrap(series.toBytes()), range.firstStart(),
                range.lastStart())) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> window = it.next();
                long bucket = Math.floorDiv(window.key, stepMillis) * stepMillis;
                buckets.merge(bucket, PartialAggregateCodec.decode(window.value), PartialAggregate::merge);
            }
        }
        return buckets.entrySet().stream()
                .filter(e -> e.getValue().count() > 0)
                .map(e -> WindowView.of(e.getKey(), e.getKey() + stepMillis, e.getValue()))
                .toList();
    }

    /** Keys of the tenant's stream with at least one window in range, on this instance. */
    SortedSet<String> keys(String tenant, String stream, TimeRange range) {
        SortedSet<String> keys = new TreeSet<>();
        scanStream(tenant, stream, range, (series, aggregate) -> keys.add(series.key()));
        return keys;
    }

    /** Every window of the tenant's stream in range, merged into one, on this instance. */
    PartialAggregate summary(String tenant, String stream, TimeRange range) {
        PartialAggregate[] total = {null};
        scanStream(tenant, stream, range, (series, aggregate) ->
                total[0] = total[0] == null ? aggregate : total[0].merge(aggregate));
        return total[0] == null ? PartialAggregate.empty(PartialAggregate.DEFAULT_SKETCH_K) : total[0];
    }

    /**
     * Range scan over the stream's byte prefix. UTF-8 never contains 0xFF, so every key of the stream
     * sorts between the prefix and the prefix followed by 0xFF; the series check guards the rest.
     */
    private void scanStream(String tenant, String stream, TimeRange range, BiConsumer<SeriesKey, PartialAggregate> sink) {
        byte[] prefix = SeriesKey.streamPrefix(tenant, stream);
        byte[] upper = Arrays.copyOf(prefix, prefix.length + 1);
        upper[prefix.length] = (byte) 0xFF;
        ReadOnlyWindowStore<Bytes, byte[]> store = streams.localStore();
        try (KeyValueIterator<Windowed<Bytes>, byte[]> it = store.fetch(Bytes.wrap(prefix), Bytes.wrap(upper),
                range.firstStart(), range.lastStart())) {
            while (it.hasNext()) {
                KeyValue<Windowed<Bytes>, byte[]> window = it.next();
                SeriesKey series = SeriesKey.fromBytes(window.key.key().get());
                if (series.tenant().equals(tenant) && series.stream().equals(stream)) {
                    sink.accept(series, PartialAggregateCodec.decode(window.value));
                }
            }
        }
    }
}
