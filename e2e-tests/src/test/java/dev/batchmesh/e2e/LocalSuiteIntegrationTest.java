package dev.batchmesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, run as a newcomer runs it: {@code bin/suite up} starts a real Kafka
 * broker and the four services, {@code status}, {@code demo}, {@code restart} and {@code stop} work from another
 * shell, and {@code down} stops everything it started. Runs on its own ports and state folder so a
 * developer's running suite is never touched.
 */
class LocalSuiteIntegrationTest {

    private final Path root = Path.of(System.getProperty("batchmesh.root", "..")).toAbsolutePath().normalize();
    private final Map<String, String> env = new HashMap<>();
    private final List<String> upOutput = new CopyOnWriteArrayList<>();
    private Process up;

    @AfterEach
    void stopWhateverIsLeft() throws Exception {
        if (up != null && up.isAlive()) {
            run("down");
            up.destroy();
            up.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldStartServeRestartAndStopTheWholeSuiteAndOneService() throws Exception {
        env.put("BATCHMESH_SUITE_DIR", Files.createTempDirectory("batchmesh-suite").toString());
        env.put("BATCHMESH_SKIP_BUILD", "1");
        int gateway = pairedPort();
        env.put("BATCHMESH_GATEWAY_PORT", Integer.toString(gateway));
        env.put("BATCHMESH_BATCHER_PORT", Integer.toString(pairedPort()));
        env.put("BATCHMESH_PROCESSOR_PORT", Integer.toString(pairedPort()));
        env.put("BATCHMESH_AGGREGATOR_PORT", Integer.toString(pairedPort()));
        int kafka = pairedPort();
        env.put("BATCHMESH_KAFKA_PORT", Integer.toString(kafka));
        env.put("BATCHMESH_KAFKA_CONTROLLER_PORT", Integer.toString(kafka + 1000));

        up = command("up").redirectErrorStream(true).start();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    upOutput.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        awaitLine("batchmesh is running.", 240);
        assertThat(String.join("\n", upOutput))
                .contains("http://127.0.0.1:" + gateway)
                .contains("dev-key   -> tenant dev")
                .contains("dev-key-2 -> tenant dev2")
                .contains("curl -i -X POST http://127.0.0.1:" + gateway + "/v1/streams/latency/records");

        List<String> status = run("status");
        assertThat(status).filteredOn(l -> l.endsWith(" UP")).hasSize(5);
        assertThat(status).contains("Kafka bootstrap: 127.0.0.1:" + kafka);
        String processorPid = pidOf(status, "processor");

        List<String> demo = run("demo");
        assertThat(demo).anySatisfy(l -> assertThat(l).startsWith("sent 5000 records"));
        assertThat(demo).anySatisfy(l -> assertThat(l).contains("\"count\":"));

        run("restart", "processor");
        List<String> afterRestart = run("status");
        assertThat(pidOf(afterRestart, "processor")).isNotEqualTo(processorPid);
        assertThat(afterRestart).filteredOn(l -> l.endsWith(" UP")).hasSize(5);
        List<Long> pids = new ArrayList<>();
        for (String name : List.of("kafka", "gateway", "batcher", "processor", "aggregator")) {
            pids.add(Long.parseLong(pidOf(afterRestart, name)));
        }

        run("stop", "processor");
        List<String> afterStop = run("status");
        assertThat(afterStop).filteredOn(l -> l.startsWith("processor ") && l.endsWith(" STOPPED")).hasSize(1);
        assertThat(afterStop).filteredOn(l -> l.endsWith(" UP")).hasSize(4);
        Thread.sleep(5_000); // bin/suite up checks its processes every 2 s
        assertThat(upOutput).as("a stopped service is not reported as having died")
                .noneMatch(l -> l.contains("processor is not running"));

        run("down");
        assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("bin/suite up returns after down").isTrue();
        reader.join(5_000);
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process %d stopped", pid).isFalse();
        }
        assertThat(run("status")).filteredOn(l -> l.endsWith(" STOPPED")).hasSize(5);
    }

    private ProcessBuilder command(String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("bin/suite").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(root.toFile());
        builder.environment().putAll(env);
        // the JDK running the tests is a JDK 25; let the scripts use it
        ProcessHandle.current().info().command().ifPresent(java ->
                builder.environment().put("JAVA_HOME", Path.of(java).getParent().getParent().toString()));
        return builder;
    }

    private List<String> run(String... args) throws Exception {
        Process p = command(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("bin/suite %s finished", String.join(" ", args)).isTrue();
        assertThat(p.exitValue()).as("bin/suite %s exit code; output:%n%s", String.join(" ", args), out).isZero();
        return out.lines().toList();
    }

    private void awaitLine(String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (upOutput.stream().anyMatch(l -> l.contains(text))) {
                return;
            }
            assertThat(up.isAlive()).as("bin/suite up is running; output so far:%n%s", String.join("\n", upOutput)).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("bin/suite up did not print '" + text + "' within " + seconds + " s:\n" + String.join("\n", upOutput));
    }

    private static String pidOf(List<String> status, String name) {
        return status.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow().trim().split("\\s+")[1];
    }

    /** A free port p whose management twin p + 1000 is free too, as bin/suite assigns them. */
    private static int pairedPort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int p = a.getLocalPort();
                if (p + 1000 > 65535) {
                    continue;
                }
                try (ServerSocket b = new ServerSocket(p + 1000, 1, InetAddress.getLoopbackAddress())) {
                    return p;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no free port pair");
    }
}
