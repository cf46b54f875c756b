package dev.batchmesh.bench.workload;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Everything that decides a generated record sequence: the same spec yields the same records in
 * the same order on every machine. {@code valueDecimals} rounds values the way clients print them
 * (a latency of 12.345 ms, not 17 significant digits); negative keeps full precision.
 */
public record WorkloadSpec(KeyDistribution keys, ValueDistribution values, int valueDecimals,
                           TimestampPattern timestamps, long seed) {

    public static final String DEFAULT_KEY_DISTRIBUTION = "uniform";
    public static final String DEFAULT_VALUES = "lognormal:20,0.8";
    public static final String DEFAULT_START = "2026-01-01T00:00:00Z";

    public WorkloadSpec {
        if (valueDecimals > 15) {
            throw new IllegalArgumentException("value decimals must be at most 15, was " + valueDecimals);
        }
    }

    /**
     * The workload options every benchmark tool shares:
     *
     * <pre>
     * --keys N                     distinct keys (1000)
     * --key-distribution SPEC      uniform | zipf | zipf:S (uniform)
     * --values SPEC                lognormal:MEDIAN,SIGMA | normal:MEAN,STDDEV | uniform:MIN,MAX (lognormal:20,0.8)
     * --decimals N                 round values to N decimals, -1 for full precision (3)
     * --start TIME                 first event time: RFC 3339, epoch millis or 'now' (2026-01-01T00:00:00Z)
     * --events-per-second R        event-time rate, decides how many windows a run spans (50000)
     * --jitter-ms J                records arrive up to J ms out of order (500)
     * --seed S                     (42)
     * </pre>
     */
    public static WorkloadSpec from(Arguments args) {
        int keys = args.integer("keys", 1000);
        return new WorkloadSpec(
                KeyDistribution.parse(args.string("key-distribution", DEFAULT_KEY_DISTRIBUTION), keys),
                ValueDistribution.parse(args.string("values", DEFAULT_VALUES)),
                args.integer("decimals", 3),
                new TimestampPattern(startMillis(args.string("start", DEFAULT_START)),
                        args.decimal("events-per-second", 50_000), args.longValue("jitter-ms", 500)),
                args.longValue("seed", 42));
    }

    private static long startMillis(String text) {
        if (text.equals("now")) {
            return System.currentTimeMillis();
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notMillis) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--start must be RFC 3339, epoch millis or 'now', was '" + text + "'");
            }
        }
    }

    /** A one-line canonical description: equal for equal specs, so it can name reusable data. */
    public String describe() {
        return "keys=" + keys.keys() + " key-distribution=" + keys.spec() + " values=" + values.spec()
                + " decimals=" + valueDecimals + " start=" + timestamps.startMillis()
                + " events-per-second=" + timestamps.eventsPerSecond() + " jitter-ms=" + timestamps.jitterMillis()
                + " seed=" + seed;
    }
}
