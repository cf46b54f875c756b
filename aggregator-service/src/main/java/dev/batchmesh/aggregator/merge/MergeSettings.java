package dev.batchmesh.aggregator.merge;

import java.time.Duration;

/**
 * What the topology needs to know: the input topic, the base window every partial must use, and
 * how long the store keeps a window (retention plus grace).
 */
public record MergeSettings(String inputTopic, Duration windowSize, Duration storeRetention) {

    public long windowSizeMillis() {
        return windowSize.toMillis();
    }

    public long storeRetentionMillis() {
        return storeRetention.toMillis();
    }
}
