package dev.batchmesh.bench.peer;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The per-record peer of the pipeline: every record is one message, keyed by its series bytes, and
 * Kafka Streams folds each into its tumbling window in a RocksDB window store with a changelog, as
 * the textbook windowed aggregation does. The key is already the series, so grouping repartitions
 * nothing.
 */
final class PerRecordTopology {

    static final String STORE = "window-stats";

    private PerRecordTopology() {
    }

    /**
     * @param retention how long windows stay queryable: the pipeline keeps 24 h, so the peer does too
     * @param processed counts records as they enter the topology, for progress reports
     */
    static void build(StreamsBuilder builder, String inputTopic, Duration windowSize, Duration grace,
                      Duration retention, LongAdder processed) {
        builder.stream(inputTopic, Consumed.with(Serdes.ByteArray(), PointValues.serde())
                        .withName("records"))
                .peek((series, value) -> processed.increment(), Named.as("count-processed"))
                .groupByKey(Grouped.with("by-series", Serdes.ByteArray(), PointValues.serde()))
                .windowedBy(TimeWindows.ofSizeAndGrace(windowSize, grace))
                .aggregate(WindowStats::empty, (series, value, stats) -> stats.add(value), Named.as("aggregate-window"),
                        Materialized.<byte[], WindowStats, WindowStore<Bytes, byte[]>>as(STORE)
                                .withKeySerde(Serdes.ByteArray())
                                .withValueSerde(WindowStats.serde())
                                .withRetention(retention));
    }
}
