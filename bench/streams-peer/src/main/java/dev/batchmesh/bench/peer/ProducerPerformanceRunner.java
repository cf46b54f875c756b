package dev.batchmesh.bench.peer;

import dev.batchmesh.bench.workload.Arguments;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Runs Kafka's own {@code ProducerPerformance} tool (kafka-tools, in a child JVM, as
 * {@code kafka-producer-perf-test.sh} would) into a fresh topic and prints its closing figures as
 * the same JSON line as {@link StreamsPeerRunner}: the ceiling of writing one message per record to
 * this broker, with the durability settings the pipeline uses (acks=all, idempotence, lz4).
 *
 * <pre>
 * --bootstrap HOST:PORT   the broker (required)
 * --records N             (5000000)
 * --record-size B         message value size (64)
 * --partitions P          (6)
 * --producer-props LIST   extra producer settings, comma-separated k=v (none)
 * --timeout D             (PT30M)
 * --keep-topic true|false (false)
 * </pre>
 */
public final class ProducerPerformanceRunner {

    static {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:bench-log4j2.xml");
        }
    }

    static final String BENCHMARK = "kafka-producer-performance";
    static final String TOOL = "org.apache.kafka.tools.ProducerPerformance";

    private ProducerPerformanceRunner() {
    }

    public static void main(String[] args) {
        PrintStream result = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        try {
            Arguments arguments = Arguments.parse(args);
            String bootstrap = arguments.string("bootstrap", null);
            long records = arguments.longValue("records", 5_000_000);
            int recordSize = arguments.integer("record-size", 64);
            int partitions = arguments.integer("partitions", 6);
            String extra = arguments.string("producer-props", "");
            Duration timeout = arguments.duration("timeout", Duration.ofMinutes(30));
            boolean keepTopic = arguments.flag("keep-topic", false);
            arguments.rejectUnused();
            if (bootstrap == null) {
                throw new IllegalArgumentException("--bootstrap is required");
            }
            result.println(run(bootstrap, records, recordSize, partitions, extra, timeout, keepTopic).toJsonLine());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (RuntimeException | IOException | InterruptedException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static BenchmarkResult run(String bootstrap, long records, int recordSize, int partitions, String extraProps,
                               Duration timeout, boolean keepTopic) throws IOException, InterruptedException {
        String topic = "producer-perf-" + System.currentTimeMillis();
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            KafkaTopics topics = new KafkaTopics(admin);
            topics.create(topic, partitions, Map.of());
            try {
                List<String> producerProps = new ArrayList<>(List.of("bootstrap.servers=" + bootstrap, "acks=all",
                        "enable.idempotence=true", "compression.type=lz4"));
                for (String p : extraProps.split(",")) {
                    if (!p.isBlank()) {
                        producerProps.add(p.trim());
                    }
                }
                List<String> command = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-Duser.language=en", "-Duser.country=US",
                        "-Dlog4j2.configurationFile=classpath:bench-log4j2.xml",
                        "-cp", System.getProperty("java.class.path"), TOOL,
                        "--topic", topic, "--num-records", Long.toString(records), "--record-size", Integer.toString(recordSize),
                        "--throughput", "-1", "--producer-props"));
                command.addAll(producerProps);
                List<String> output = runTool(command, timeout);
                ProducerPerformanceOutput summary = ProducerPerformanceOutput.parse(output)
                        .orElseThrow(() -> new IllegalStateException("ProducerPerformance printed no summary line"));
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("recordSize", recordSize);
                details.put("partitions", partitions);
                details.put("producerProps", String.join(" ", producerProps.subList(1, producerProps.size())));
                details.put("mbPerSecond", summary.mbPerSecond());
                details.put("avgLatencyMs", summary.avgLatencyMs());
                details.put("maxLatencyMs", summary.maxLatencyMs());
                details.put("p50LatencyMs", summary.p50Ms());
                details.put("p95LatencyMs", summary.p95Ms());
                details.put("p99LatencyMs", summary.p99Ms());
                details.put("p999LatencyMs", summary.p999Ms());
                details.put("toolRecordsPerSecond", summary.recordsPerSecond());
                return BenchmarkResult.of(BENCHMARK, "acks=all idempotent lz4", summary.records(),
                        summary.records() / summary.recordsPerSecond(), details);
            } finally {
                if (!keepTopic) {
                    topics.delete(Set.of(topic));
                }
            }
        }
    }

    /** Runs the tool, echoing its output to stderr, and returns the lines it printed on stdout. */
    private static List<String> runTool(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofPlatform().name("producer-performance-output").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    System.err.println("[ProducerPerformance] " + line);
                    lines.add(line);
                }
            } catch (IOException e) {
                System.err.println("reading ProducerPerformance's output failed: " + e.getMessage());
            }
        });
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("ProducerPerformance did not finish within " + timeout);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        if (process.exitValue() != 0) {
            throw new IllegalStateException("ProducerPerformance exited with " + process.exitValue());
        }
        return List.copyOf(lines);
    }
}
