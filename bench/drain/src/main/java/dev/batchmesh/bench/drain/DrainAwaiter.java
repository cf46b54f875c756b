package dev.batchmesh.bench.drain;

import dev.batchmesh.bench.peer.BenchmarkResult;
import dev.batchmesh.bench.workload.Arguments;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures the drain of a pre-loaded {@code microbatches} topic by a running processor and
 * aggregator. Started with (or just after) the services, it reads through the admin client, every
 * poll interval, the committed offsets of the processor's group on {@code microbatches} and of the
 * aggregator's Kafka Streams application on {@code partials} against the ends of their committed
 * data ({@link ConsumerProgress#dataEnds}). The
 * drain starts when the processor's group is first seen with {@code microbatches} assigned (the
 * aggregator is expected to be running by then: the script waits for its readiness before starting
 * the processor) and ends when both groups have caught up:
 * the processor has committed every micro-batch (its partials are then committed too, in the same
 * transactions) and the aggregator has committed every partial the processor wrote. Then the
 * aggregator's summary of the stream must count every loaded record, or no rate is reported.
 * Prints one JSON line ({@link BenchmarkResult}) on stdout. Options: {@link AwaitOptions}.
 */
public final class DrainAwaiter {

    static {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:bench-log4j2.xml");
        }
    }

    static final String BENCHMARK = "batchmesh-drain";
    static final String VARIANT = "exactly_once_v2";
    private static final Logger log = LoggerFactory.getLogger(DrainAwaiter.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long REPORT_NANOS = 5_000_000_000L;
    /** Windows are at most this long: the summary range reaches this far around the loaded event times. */
    private static final long QUERY_MARGIN_MILLIS = Duration.ofHours(1).toMillis();

    private DrainAwaiter() {
    }

    public static void main(String[] args) {
        PrintStream result = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        AwaitOptions options;
        try {
            Arguments arguments = Arguments.parse(args);
            options = AwaitOptions.from(arguments);
            arguments.rejectUnused();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: DrainAwaiter --bootstrap HOST:PORT --load-result FILE [--aggregator-url URL] [--processor-pid PID]"
                    + " [--aggregator-pid PID] ... (options in AwaitOptions)");
            System.exit(2);
            return;
        }
        try {
            result.println(await(options).toJsonLine());
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static BenchmarkResult await(AwaitOptions options) {
        JsonNode load = readJsonLine(options.loadResult());
        JsonNode loadDetails = load.get("details");
        long records = load.get("records").asLong();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        try (Admin admin = Admin.create(props)) {
            ConsumerProgress progress = new ConsumerProgress(admin, options.bootstrap());
            Map<TopicPartition, Long> inputEnds = progress.dataEnds(options.inputTopic());
            long inputOffsets = inputEnds.values().stream().mapToLong(Long::longValue).sum();
            if (inputOffsets == 0) {
                throw new IllegalStateException(options.inputTopic() + " is empty: load it first");
            }
            Drain drain = follow(options, progress, inputEnds);

            long fromMillis = loadDetails.get("minTimestampMillis").asLong() - QUERY_MARGIN_MILLIS;
            long toMillis = loadDetails.get("maxTimestampMillis").asLong() + QUERY_MARGIN_MILLIS;
            long aggregated = new AggregatorQuery(options.aggregatorUrl(), Duration.ofMinutes(1))
                    .count(loadDetails.get("tenant").asString(), loadDetails.get("stream").asString(), fromMillis, toMillis);
            log.info("The aggregator counts {} records of the {} loaded", aggregated, records);

            double seconds = (drain.caughtUpAt - drain.startedAt) / 1e9;
            double processorSeconds = (drain.processorCaughtUpAt - drain.startedAt) / 1e9;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("messages", loadDetails.get("messages").asLong());
            details.put("batchRecords", loadDetails.get("batchRecords").asInt());
            details.put("partitions", inputEnds.size());
            details.put("keys", loadDetails.get("keys").asInt());
            details.put("keyDistribution", loadDetails.get("keyDistribution").asString());
            details.put("values", loadDetails.get("values").asString());
            details.put("seed", loadDetails.get("seed").asLong());
            if (options.servicesStartedAt() != null) {
                details.put("startupSeconds", round((drain.startedEpochMillis - options.servicesStartedAt()) / 1e3));
            }
            details.put("firstCommitSeconds", round((drain.firstCommitAt - drain.startedAt) / 1e9));
            details.put("processorSeconds", round(processorSeconds));
            details.put("processorRecordsPerSecond", round(records / processorSeconds));
            details.put("aggregatorTailSeconds", round((drain.caughtUpAt - drain.processorCaughtUpAt) / 1e9));
            details.put("partialsOffsets", drain.partialsOffsets);
            details.put("aggregatedRecords", aggregated);
            details.put("processor", processDetails(drain.processorAtStart, drain.processorAtEnd));
            details.put("aggregator", processDetails(drain.aggregatorAtStart, drain.aggregatorAtEnd));
            details.put("loadSeconds", load.get("seconds").asDouble());
            details.put("loadRecordsPerSecond", load.get("recordsPerSecond").asDouble());
            double recordsPerSecond = records / seconds;
            if (options.peerResult() != null) {
                JsonNode peer = readJsonLine(options.peerResult());
                double peerRate = peer.get("recordsPerSecond").asDouble();
                Map<String, Object> peerDetails = new LinkedHashMap<>();
                peerDetails.put("benchmark", peer.get("benchmark").asString());
                peerDetails.put("variant", peer.get("variant").asString());
                peerDetails.put("records", peer.get("records").asLong());
                peerDetails.put("seconds", peer.get("seconds").asDouble());
                peerDetails.put("recordsPerSecond", peerRate);
                details.put("peer", peerDetails);
                details.put("ratioToPeer", round(recordsPerSecond / peerRate));
            }
            if (aggregated != records) {
                throw new IllegalStateException("the aggregator counts " + aggregated + " records of the " + records
                        + " loaded: records were dropped or counted twice");
            }
            return BenchmarkResult.of(BENCHMARK, VARIANT, records, seconds, details);
        }
    }

    /** Moments of the drain, in System.nanoTime(), and the processes' figures at its start and end. */
    private static final class Drain {
        long startedAt;
        long startedEpochMillis;
        long firstCommitAt;
        long processorCaughtUpAt;
        long caughtUpAt;
        long partialsOffsets;
        ProcessStats processorAtStart;
        ProcessStats processorAtEnd;
        ProcessStats aggregatorAtStart;
        ProcessStats aggregatorAtEnd;
    }

    private static Drain follow(AwaitOptions options, ConsumerProgress progress, Map<TopicPartition, Long> inputEnds) {
        Drain drain = new Drain();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long nextReport = System.nanoTime() + REPORT_NANOS;
        boolean firstPoll = true;
        Map<TopicPartition, Long> partialsEnds = null;
        log.info("Waiting for {} to drain {} offsets of {}", options.processorGroup(),
                inputEnds.values().stream().mapToLong(Long::longValue).sum(), options.inputTopic());
        while (true) {
            long now = System.nanoTime();
            requireAlive(options.processorPid(), "processor");
            requireAlive(options.aggregatorPid(), "aggregator");
            // the start is the processor's assignment, not its first commit: one transaction may hold all it polled
            boolean assigned = drain.startedAt != 0 || progress.hasAssignment(options.processorGroup(), options.inputTopic());
            Map<TopicPartition, Long> processed = progress.committed(options.processorGroup(), options.inputTopic());
            if (drain.startedAt == 0 && (assigned || !processed.isEmpty())) {
                drain.startedAt = now;
                drain.startedEpochMillis = System.currentTimeMillis();
                drain.processorAtStart = stats(options.processorPid(), options);
                drain.aggregatorAtStart = stats(options.aggregatorPid(), options);
                if (firstPoll || !processed.isEmpty()) {
                    log.warn("{} was consuming before this saw it: the drain's start is known only roughly", options.processorGroup());
                }
                log.info("{} was assigned {}", options.processorGroup(), options.inputTopic());
            }
            firstPoll = false;
            if (drain.firstCommitAt == 0 && !processed.isEmpty()) {
                drain.firstCommitAt = now;
            }
            long processorLag = ConsumerProgress.lag(processed, inputEnds);
            if (drain.startedAt != 0 && drain.processorCaughtUpAt == 0 && processorLag == 0) {
                drain.processorCaughtUpAt = now;
                log.info("{} has committed every micro-batch", options.processorGroup());
            }
            long aggregatorLag = -1;
            if (drain.processorCaughtUpAt != 0) {
                if (partialsEnds == null) {
                    // read once the processor caught up: every partial it will ever write is committed by then
                    partialsEnds = progress.dataEnds(options.partialsTopic());
                }
                aggregatorLag = ConsumerProgress.lag(progress.committed(options.aggregatorGroup(), options.partialsTopic()), partialsEnds);
                if (aggregatorLag == 0) {
                    drain.caughtUpAt = now;
                    drain.partialsOffsets = partialsEnds.values().stream().mapToLong(Long::longValue).sum();
                    drain.processorAtEnd = stats(options.processorPid(), options);
                    drain.aggregatorAtEnd = stats(options.aggregatorPid(), options);
                    log.info("{} has committed every partial: drained in {} s", options.aggregatorGroup(),
                            String.format("%.2f", (now - drain.startedAt) / 1e9));
                    return drain;
                }
            }
            if (now > nextReport) {
                log.info("{} lag {}{}", options.processorGroup(), processorLag,
                        aggregatorLag < 0 ? "" : ", " + options.aggregatorGroup() + " lag " + aggregatorLag);
                nextReport = now + REPORT_NANOS;
            }
            if (now > deadline) {
                throw new IllegalStateException("not drained within " + options.timeout() + ": " + options.processorGroup()
                        + " lag " + processorLag + ", " + options.aggregatorGroup() + " lag " + aggregatorLag);
            }
            sleep(options.poll());
        }
    }

    private static Map<String, Object> processDetails(ProcessStats start, ProcessStats end) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (end == null) {
            return d;
        }
        d.put("cpuSeconds", round(end.cpuSeconds()));
        d.put("drainCpuSeconds", round(end.cpuSeconds() - start.cpuSeconds()));
        d.put("peakRssMiB", round(end.peakRssKiB() / 1024.0));
        return d;
    }

    private static ProcessStats stats(Long pid, AwaitOptions options) {
        return pid == null ? null : ProcessStats.of(pid, options.clockTicks());
    }

    private static void requireAlive(Long pid, String name) {
        if (pid != null && !Files.exists(Path.of("/proc", Long.toString(pid)))) {
            throw new IllegalStateException("the " + name + " (pid " + pid + ") has exited");
        }
    }

    static JsonNode readJsonLine(Path file) {
        try {
            return JSON.readTree(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
