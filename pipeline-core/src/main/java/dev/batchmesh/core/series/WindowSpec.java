package dev.batchmesh.core.series;

import java.time.Duration;

/** Tumbling windows aligned to the epoch: a window holds timestamps in {@code [start, start + size)}. */
public record WindowSpec(long sizeMillis) {

    public static final WindowSpec DEFAULT = new WindowSpec(10_000);

    public WindowSpec {
        if (sizeMillis <= 0) {
            throw new IllegalArgumentException("window size must be positive, was " + sizeMillis + " ms");
        }
    }

    public static WindowSpec of(Duration size) {
        return new WindowSpec(size.toMillis());
    }

    public long startOf(long timestampMillis) {
        return Math.floorDiv(timestampMillis, sizeMillis) * sizeMillis;
    }

    public long endOf(long windowStart) {
        return windowStart + sizeMillis;
    }

    public Duration size() {
        return Duration.ofMillis(sizeMillis);
    }
}
