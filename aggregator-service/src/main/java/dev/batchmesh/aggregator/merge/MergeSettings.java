package dev.batchmesh.aggregator.merge;

import java.time.Duration;

/**
 * What the topology needs to know: the input topic, the base window every partial must use, how
 * long the store keeps a window (retention plus grace), and how many recently merged windows each
 * task keeps decoded ({@link DecodedWindows}).
 */
public record MergeSettings(String inputTopic, Duration windowSize, Duration storeRetention, int decodedWindowsPerTask) {

    public long windowSizeMillis() {
        return windowSize.toMillis();
    }

    public long storeRetentionMillis() {
        return storeRetention.toMillis();
    }
}
