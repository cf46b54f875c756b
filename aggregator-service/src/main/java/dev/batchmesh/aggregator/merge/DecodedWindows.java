package dev.batchmesh.aggregator.merge;

import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.aggregate.PartialAggregateCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;

/**
 * The windows a task merged last, decoded. Every merge reads a window's stored bytes, decodes them,
 * merges and encodes again; while the store's cache still holds the bytes this task wrote, it hands
 * back the very same array, so the aggregate decoded (or merged) then can be used again instead of
 * decoding it: an exact-form partial is rebuilt value by value, a sketch copied whole.
 *
 * <p>Only the identical array counts as a hit: bytes read back from RocksDB after the cache evicted
 * them, or written by anything else, are decoded. Aggregates are immutable, so sharing them is safe.
 * Bounded, least recently used first out; not thread-safe (one per stream task).
 */
final class DecodedWindows {

    private record WindowKey(Bytes series, long windowStart) {
    }

    private record Decoded(byte[] encoded, PartialAggregate aggregate) {
    }

    private final Map<WindowKey, Decoded> recent;

    DecodedWindows(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<WindowKey, Decoded> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The aggregate {@code stored} encodes: remembered if these are the bytes last put, decoded otherwise. */
    PartialAggregate decode(Bytes series, long windowStart, byte[] stored) {
        Decoded decoded = recent.get(new WindowKey(series, windowStart));
        if (decoded != null && decoded.encoded() == stored) {
            return decoded.aggregate();
        }
        return PartialAggregateCodec.decode(stored);
    }

    /** Remembers what was just put into the store for this window. */
    void stored(Bytes series, long windowStart, byte[] encoded, PartialAggregate aggregate) {
        recent.put(new WindowKey(series, windowStart), new Decoded(encoded, aggregate));
    }

    /** Forgets everything: a task whose state was wiped and restored calls init() again on the same processor. */
    void clear() {
        recent.clear();
    }

    int size() {
        return recent.size();
    }
}
