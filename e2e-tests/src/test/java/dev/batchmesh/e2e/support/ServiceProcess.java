package dev.batchmesh.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service of the suite running as its own JVM from its executable jar, as in production: its
 * own ports, configuration by environment, log in a file. Stopping sends SIGTERM (graceful
 * shutdown); killing sends SIGKILL.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Map<String, String> environment;
    private final List<String> arguments;
    private final Path log;
    private final int port;
    private final int managementPort;
    private Process process;

    public ServiceProcess(String name, Map<String, String> environment, List<String> arguments, Path logDir) {
        this(name, name, environment, arguments, logDir);
    }

    /** A replica: {@code name} tells it apart (log file, lookups), {@code service} names the jar it runs. */
    public ServiceProcess(String name, String service, Map<String, String> environment, List<String> arguments, Path logDir) {
        this.name = name;
        this.jar = Path.of(requiredProperty("batchmesh.jar." + service));
        this.port = FreePorts.next();
        this.managementPort = FreePorts.next();
        this.environment = environment;
        this.arguments = arguments;
        this.log = logDir.resolve(name + ".log");
    }

    static String requiredProperty(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("system property " + key + " is not set; run through Maven (./mvnw verify)");
        }
        return value;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path log() {
        return log;
    }

    public synchronized void start() throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: package the services first (./mvnw verify builds them)");
        }
        Files.createDirectories(log.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java,
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Dspring.main.banner-mode=off",
                "-jar", jar.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));
        process = builder.start();
    }

    /** Waits until the readiness probe answers 200, failing early with the log's tail if the process dies. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI readiness = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready:\n" + logTail(60));
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + ":\n" + logTail(60));
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The operating-system process id while running. */
    public long pid() {
        Process p = process;
        if (p == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return p.pid();
    }

    /** Sends SIGTERM and returns at once, for tests that watch what happens during the shutdown. */
    public synchronized Process terminate() {
        if (process == null) {
            throw new IllegalStateException(name + " is not running");
        }
        Process p = process;
        p.destroy();
        return p;
    }

    /** SIGTERM and wait for the graceful shutdown; SIGKILL if it takes longer than 30 s. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        ChildProcesses.stop(process, Duration.ofSeconds(30));
        process = null;
    }

    /** SIGKILL: no shutdown hooks, no flush, no commit, like a crashed pod. */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        ChildProcesses.kill(process);
        process = null;
    }

    public String logTail(int lines) {
        return ChildProcesses.tail(log, lines);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
