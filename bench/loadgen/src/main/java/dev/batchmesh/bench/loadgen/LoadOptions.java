package dev.batchmesh.bench.loadgen;

import dev.batchmesh.bench.loadgen.body.BodyFormat;
import dev.batchmesh.bench.loadgen.body.TimestampMode;
import dev.batchmesh.bench.loadgen.lag.LagTarget;
import dev.batchmesh.bench.loadgen.proc.SuiteProcesses;
import dev.batchmesh.bench.loadgen.search.StepCriteria;
import dev.batchmesh.bench.workload.Arguments;
import dev.batchmesh.bench.workload.WorkloadSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Everything a run is told. Rates are requests per second; each request carries
 * {@code recordsPerRequest} records.
 *
 * @param bootstrap Kafka bootstrap servers for the lag samples; null samples no lag
 */
public record LoadOptions(URI gateway, String apiKey, String stream, Mode mode, double rate, Duration duration,
                          Duration warmup, int recordsPerRequest, BodyFormat format, TimestampMode timestamps,
                          int bodyPoolSize, int connections, int httpClients, Duration requestTimeout,
                          WorkloadSpec workload, String bootstrap, List<LagTarget> lagTargets, Duration sampleInterval,
                          boolean probes, String probeStream, Duration probeInterval, Duration probePollInterval,
                          Duration probeTimeout, int probeMaxPolls, List<String> suiteProcesses, Path resultsDir,
                          Duration stepDuration, double stepFactor, double precision, StepCriteria criteria,
                          long drainMaxLag, Duration drainTimeout) {

    public enum Mode {
        FIXED,
        MAX;

        static Mode parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "fixed" -> FIXED;
                case "max" -> MAX;
                default -> throw new IllegalArgumentException("--mode must be fixed or max, was '" + text + "'");
            };
        }
    }

    public LoadOptions {
        positive("rate", rate);
        positive("records-per-request", recordsPerRequest);
        positive("body-pool", bodyPoolSize);
        positive("connections", connections);
        positive("http-clients", httpClients);
        positive("duration", duration.toMillis());
        positive("step-duration", stepDuration.toMillis());
        positive("probe-interval", probeInterval.toMillis());
        positive("probe-poll-interval", probePollInterval.toMillis());
        positive("sample-interval", sampleInterval.toMillis());
        positive("probe-max-polls", probeMaxPolls);
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        if (!(stepFactor > 1)) {
            throw new IllegalArgumentException("--step-factor must be above 1, was " + stepFactor);
        }
    }

    private static void positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("--" + name + " must be positive, was " + value);
        }
    }

    /** The command-line options; {@code --help} in {@link LoadGeneratorCli} lists them with their defaults. */
    public static LoadOptions from(Arguments args) {
        String bootstrap = args.string("bootstrap", "127.0.0.1:9092");
        return new LoadOptions(
                URI.create(args.string("gateway", "http://127.0.0.1:8080")),
                args.string("api-key", "dev-key"),
                args.string("stream", "loadgen.records"),
                Mode.parse(args.string("mode", "fixed")),
                args.decimal("rate", 20),
                args.duration("duration", Duration.ofSeconds(60)),
                args.duration("warmup", Duration.ofSeconds(5)),
                args.integer("records-per-request", 1000),
                BodyFormat.parse(args.string("format", "ndjson")),
                TimestampMode.parse(args.string("timestamps", "live")),
                args.integer("body-pool", 64),
                args.integer("connections", 64),
                args.integer("http-clients", 4),
                args.duration("request-timeout", Duration.ofSeconds(30)),
                WorkloadSpec.from(args),
                bootstrap.isBlank() || bootstrap.equals("none") ? null : bootstrap,
                LagTarget.parseList(args.string("lag-targets", LagTarget.DEFAULTS)),
                args.duration("sample-interval", Duration.ofSeconds(1)),
                args.flag("probes", true),
                args.string("probe-stream", "loadgen.probe"),
                args.duration("probe-interval", Duration.ofMillis(250)),
                args.duration("probe-poll-interval", Duration.ofMillis(100)),
                args.duration("probe-timeout", Duration.ofSeconds(30)),
                args.integer("probe-max-polls", 2),
                List.of(args.string("processes", String.join(",", SuiteProcesses.SUITE_NAMES)).split(",")),
                Path.of(args.string("results", "bench/results")),
                args.duration("step-duration", Duration.ofSeconds(15)),
                args.decimal("step-factor", 1.5),
                args.decimal("precision", 0.1),
                new StepCriteria(args.duration("max-p99", Duration.ofSeconds(1)),
                        args.decimal("max-error-rate", 0.001), args.decimal("min-completed-share", 0.95)),
                args.longValue("drain-max-lag", 12),
                args.duration("drain-timeout", Duration.ofSeconds(30)));
    }
}
