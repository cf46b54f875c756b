package dev.batchmesh.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node KRaft broker (local-kafka's {@code LocalKafka}) as a child JVM, so a test can
 * stop it (SIGTERM), kill it (SIGKILL) and start it again on the same data directory and ports,
 * which an in-process broker cannot do. Ready when the child prints {@code KAFKA READY} on stdout;
 * its log (stderr) goes to a file.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final String READY = "KAFKA READY bootstrap=";

    private final Path dataDir;
    private final Path log;
    private final int port;
    private final int controllerPort;
    private final List<String> topics;
    private Process process;

    /** @param topics {@code NAME:PARTITIONS} specs created (if missing) before the broker reports ready */
    public KafkaBrokerProcess(Path dataDir, Path logDir, List<String> topics) {
        this.dataDir = dataDir;
        this.log = logDir.resolve("kafka.log");
        this.port = FreePorts.next();
        this.controllerPort = FreePorts.next();
        this.topics = List.copyOf(topics);
    }

    /** The topics the pipeline needs, with the partition counts of architecture.md. */
    public static List<String> pipelineTopics() {
        return List.of("microbatches:" + PipelineCluster.PARTITIONS, "partials:" + PipelineCluster.PARTITIONS, "microbatches-dlt:1");
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (on the same directory and ports as before) and waits for its READY line. */
    public synchronized void start(Duration timeout) throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker is already running");
        }
        Files.createDirectories(log.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", ServiceProcess.requiredProperty("batchmesh.local-kafka.classpath"),
                "dev.batchmesh.localkafka.LocalKafka",
                "--data-dir", dataDir.toString(), "--port", Integer.toString(port), "--controller-port", Integer.toString(controllerPort)));
        for (String topic : topics) {
            command.add("--topic");
            command.add(topic);
        }
        process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Process started = process;
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(READY)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        try {
            if (!ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Kafka exited before it was ready:\n" + logTail(60));
            }
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("Kafka was not ready within " + timeout + ":\n" + logTail(60), e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM: a controlled shutdown that flushes the logs; SIGKILL if it takes over 60 s. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        ChildProcesses.stop(process, Duration.ofSeconds(60));
        process = null;
    }

    /** SIGKILL: no controlled shutdown; the next start recovers the logs. */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        ChildProcesses.kill(process);
        process = null;
    }

    public Path log() {
        return log;
    }

    public String logTail(int lines) {
        return ChildProcesses.tail(log, lines);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
