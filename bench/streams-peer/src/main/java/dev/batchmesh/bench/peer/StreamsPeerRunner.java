package dev.batchmesh.bench.peer;

import dev.batchmesh.bench.workload.Arguments;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Measures the per-record peer: loads the workload into an input topic (or reuses it), runs the
 * Kafka Streams application over all of it, and prints one JSON line ({@link BenchmarkResult}) on
 * stdout; progress goes to stderr. Options: {@link PeerOptions} and the workload options.
 *
 * <pre>
 * java -cp 'bench/streams-peer/target/bench-streams-peer.jar:bench/streams-peer/target/lib/*' \
 *     dev.batchmesh.bench.peer.StreamsPeerRunner --bootstrap 127.0.0.1:9092 --records 200000 --guarantee at_least_once
 * </pre>
 */
public final class StreamsPeerRunner {

    static {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:bench-log4j2.xml");
        }
    }

    static final String BENCHMARK = "kafka-streams-per-record";

    private StreamsPeerRunner() {
    }

    public static void main(String[] args) {
        // stdout carries the result line alone; anything a library prints goes to stderr
        PrintStream result = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        PeerOptions options;
        try {
            Arguments arguments = Arguments.parse(args);
            options = PeerOptions.from(arguments);
            arguments.rejectUnused();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: StreamsPeerRunner --bootstrap HOST:PORT [--records N] [--guarantee exactly_once_v2|at_least_once] ..."
                    + " (options in PeerOptions and WorkloadSpec)");
            System.exit(2);
            return;
        }
        try {
            result.println(run(options).toJsonLine());
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        // Kafka's clients are closed, but a lingering non-daemon thread must not keep the JVM alive
        System.exit(0);
    }

    static BenchmarkResult run(PeerOptions options) {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        try (Admin admin = Admin.create(adminProps)) {
            KafkaTopics topics = new KafkaTopics(admin);
            InputLoader.Loaded input = new InputLoader(options, topics).ensureLoaded();
            StreamsPeerRun.Outcome outcome = new StreamsPeerRun(options, topics).run(input.topic());

            Map<String, Object> details = new LinkedHashMap<>();
            details.put("guarantee", options.guarantee());
            details.put("threads", options.threads());
            details.put("partitions", options.partitions());
            details.put("valueBytes", options.valueBytes());
            details.put("window", options.window().toString());
            details.put("grace", options.grace().toString());
            details.put("commitIntervalMs", options.commitIntervalMs());
            details.put("cacheBytes", options.cacheBytes());
            details.put("keys", options.workload().keys().keys());
            details.put("keyDistribution", options.workload().keys().spec());
            details.put("values", options.workload().values().spec());
            details.put("eventsPerSecond", options.workload().timestamps().eventsPerSecond());
            details.put("seed", options.workload().seed());
            details.put("startupSeconds", BenchmarkResult.round(outcome.startupSeconds()));
            details.put("processedSeconds", BenchmarkResult.round(outcome.processedSeconds()));
            details.put("closeSeconds", BenchmarkResult.round(outcome.closeSeconds()));
            details.put("aggregatedRecords", outcome.aggregatedRecords());
            details.put("windows", outcome.windows());
            details.put("inputTopic", input.topic());
            details.put("inputWritten", input.written());
            if (input.written()) {
                details.put("loadSeconds", BenchmarkResult.round(input.seconds()));
                details.put("loadRecordsPerSecond", BenchmarkResult.round(options.records() / input.seconds()));
            }
            if (outcome.aggregatedRecords() != options.records()) {
                throw new IllegalStateException("the store holds " + outcome.aggregatedRecords() + " records of "
                        + options.records() + ": records were dropped (late beyond grace?)");
            }
            return BenchmarkResult.of(BENCHMARK, options.guarantee(), options.records(), outcome.committedSeconds(), details);
        }
    }
}
