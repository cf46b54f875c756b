package dev.batchmesh.aggregator.merge;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator's topology, built from a {@link StreamsBuilder} without I/O so that
 * TopologyTestDriver tests run exactly this. Every node and the store are named: the changelog
 * topic ({@code <application id>-window-aggregates-changelog}) must keep its name across releases.
 */
public final class MergeTopology {

    public static final String STORE = "window-aggregates";
    static final String SOURCE = "partials-source";
    static final String MERGE = "merge-window-partials";

    private MergeTopology() {
    }

    public static void build(StreamsBuilder builder, MergeSettings settings, MergeMetrics metrics,
                             WindowMergeListener listener, MergeTracing tracing) {
        // Cached: a window merged again before the next commit costs no RocksDB write and no
        // changelog record; live updates come from the processor itself, not from cache flushes.
        builder.addStateStore(Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(STORE, settings.storeRetention(), settings.windowSize(), false),
                        Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of())
                .withCachingEnabled());
        // Keyed by series bytes on both sides, so no repartition: the partition that holds a
        // series' partials is the task that owns its windows.
        builder.stream(settings.inputTopic(), Consumed.with(Serdes.Bytes(), Serdes.ByteArray()).withName(SOURCE))
                .process(() -> new WindowMergeProcessor(settings, metrics, listener, tracing.newSpans(settings.inputTopic())), Named.as(MERGE), STORE);
    }
}
