package dev.batchmesh.bench.peer;

import dev.batchmesh.bench.workload.Arguments;
import dev.batchmesh.bench.workload.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Command line of {@link StreamsPeerRunner}; the workload options of {@link WorkloadSpec#from} come on top.
 *
 * <pre>
 * --bootstrap HOST:PORT          the broker (required)
 * --records N                    input records, one message each (5000000)
 * --partitions P                 input topic partitions, as many as the pipeline's topics (6)
 * --value-bytes B                message value size: the double and padding, as ProducerPerformance's --record-size (64)
 * --guarantee G                  exactly_once_v2 | at_least_once (exactly_once_v2)
 * --threads T                    num.stream.threads (1)
 * --window D / --grace D         tumbling window size and grace, ISO-8601 (PT10S, PT5M: the pipeline's defaults)
 * --commit-interval-ms MS        commit.interval.ms (1000 under both guarantees, as the aggregator)
 * --cache-bytes B                statestore.cache.max.bytes (10485760, Kafka's default)
 * --tenant T / --stream S        the series the keys belong to (bench, latency)
 * --timeout D                    give up after this long (PT30M)
 * --state-dir DIR                where the run's RocksDB state lives, deleted afterwards (a new directory under java.io.tmpdir)
 * --keep-topics true|false       keep the run's changelog topic (false); the input topic is always kept for reuse
 * </pre>
 */
record PeerOptions(String bootstrap, long records, int partitions, int valueBytes, String guarantee, int threads,
                   Duration window, Duration grace, long commitIntervalMs, long cacheBytes, String tenant, String stream,
                   Duration timeout, Path stateDir, boolean keepTopics, WorkloadSpec workload) {

    PeerOptions {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("--bootstrap is required");
        }
        if (records < 1) {
            throw new IllegalArgumentException("--records must be positive, was " + records);
        }
        if (partitions < 1 || threads < 1) {
            throw new IllegalArgumentException("--partitions and --threads must be positive");
        }
        if (valueBytes < PointValues.VALUE_BYTES) {
            throw new IllegalArgumentException("--value-bytes must be at least " + PointValues.VALUE_BYTES + ", was " + valueBytes);
        }
        if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
            throw new IllegalArgumentException("--guarantee must be exactly_once_v2 or at_least_once, was " + guarantee);
        }
        if (workload.timestamps().jitterMillis() >= grace.toMillis()) {
            throw new IllegalArgumentException("--jitter-ms must stay below the grace period, or records are dropped as late");
        }
    }

    static PeerOptions from(Arguments args) {
        String guarantee = args.string("guarantee", StreamsConfig.EXACTLY_ONCE_V2).toLowerCase(Locale.ROOT);
        // the aggregator's default commit interval, whatever the guarantee: the peer gets the same
        // number of transactions per second as the pipeline it is compared with
        long defaultCommitInterval = 1000;
        return new PeerOptions(
                args.string("bootstrap", null),
                args.longValue("records", 5_000_000),
                args.integer("partitions", 6),
                args.integer("value-bytes", 64),
                guarantee,
                args.integer("threads", 1),
                args.duration("window", Duration.ofSeconds(10)),
                args.duration("grace", Duration.ofMinutes(5)),
                args.longValue("commit-interval-ms", defaultCommitInterval),
                args.longValue("cache-bytes", 10L * 1024 * 1024),
                args.string("tenant", "bench"),
                args.string("stream", "latency"),
                args.duration("timeout", Duration.ofMinutes(30)),
                Optional.ofNullable(args.string("state-dir", null)).map(Path::of).orElse(null),
                args.flag("keep-topics", false),
                WorkloadSpec.from(args));
    }
}
