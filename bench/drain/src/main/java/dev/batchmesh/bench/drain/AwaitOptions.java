package dev.batchmesh.bench.drain;

import dev.batchmesh.bench.workload.Arguments;
import dev.batchmesh.core.contract.PipelineTopics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Command line of {@link DrainAwaiter}.
 *
 * <pre>
 * --bootstrap HOST:PORT        the broker (required)
 * --load-result FILE           the loader's JSON line: records, tenant, stream, event-time range (required)
 * --aggregator-url URL         the aggregator's query API, asked for the stream's summary (http://127.0.0.1:8083)
 * --processor-pid PID          the processor's process, for CPU and peak RSS (optional)
 * --aggregator-pid PID         the aggregator's process, likewise (optional)
 * --processor-group G          (processor)
 * --aggregator-group G         the aggregator's Kafka Streams application id (aggregator)
 * --input-topic T / --partials-topic T   (microbatches, partials)
 * --services-started-at MS     epoch millis at which the services were launched, to report their start-up (optional)
 * --peer-result FILE           the per-record peer's JSON line of the same workload, for the ratio (optional)
 * --poll D                     how often offsets are read (PT0.2S)
 * --timeout D                  give up after this long (PT30M)
 * --clock-ticks N              clock ticks per second of /proc/PID/stat (100: getconf CLK_TCK)
 * </pre>
 */
record AwaitOptions(String bootstrap, Path loadResult, URI aggregatorUrl, Long processorPid, Long aggregatorPid,
                    String processorGroup, String aggregatorGroup, String inputTopic, String partialsTopic,
                    Long servicesStartedAt, Path peerResult, Duration poll, Duration timeout, int clockTicks) {

    AwaitOptions {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("--bootstrap is required");
        }
        if (loadResult == null) {
            throw new IllegalArgumentException("--load-result is required");
        }
        if (poll.isNegative() || poll.isZero() || clockTicks < 1) {
            throw new IllegalArgumentException("--poll and --clock-ticks must be positive");
        }
    }

    static AwaitOptions from(Arguments args) {
        return new AwaitOptions(
                args.string("bootstrap", null),
                Optional.ofNullable(args.string("load-result", null)).map(Path::of).orElse(null),
                URI.create(args.string("aggregator-url", "http://127.0.0.1:8083")),
                optionalLong(args, "processor-pid"),
                optionalLong(args, "aggregator-pid"),
                args.string("processor-group", "processor"),
                args.string("aggregator-group", "aggregator"),
                args.string("input-topic", PipelineTopics.MICROBATCHES),
                args.string("partials-topic", PipelineTopics.PARTIALS),
                optionalLong(args, "services-started-at"),
                Optional.ofNullable(args.string("peer-result", null)).map(Path::of).orElse(null),
                args.duration("poll", Duration.ofMillis(200)),
                args.duration("timeout", Duration.ofMinutes(30)),
                args.integer("clock-ticks", 100));
    }

    private static Long optionalLong(Arguments args, String name) {
        return args.string(name, null) == null ? null : args.longValue(name, 0);
    }
}
