package dev.batchmesh.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link LocalKafka} the way the launcher does: a child JVM, READY on stdout, stopped by SIGTERM. */
class LocalKafkaIntegrationTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dataDir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldKeepCommittedMessagesWhenRestartedOnTheSameDataDirectory() throws Exception {
        int port = freePort();
        int controllerPort = freePort();

        Broker first = start(port, controllerPort, "first");
        assertThat(first.stdout()).containsExactly("KAFKA READY bootstrap=127.0.0.1:" + port);
        String bootstrap = "127.0.0.1:" + port;
        produce(bootstrap, "greetings", "k", "hello across restarts");
        assertThat(consumeAll(bootstrap, "greetings", 1)).containsExactly("hello across restarts");
        stop(first);
        assertThat(Files.readString(first.stderr())).contains("Kafka stopped");

        Broker second = start(port, controllerPort, "second");
        assertThat(Files.readString(second.stderr())).contains("Reusing Kafka storage");
        assertThat(consumeAll(bootstrap, "greetings", 1)).containsExactly("hello across restarts");
        stop(second);
        assertThat(second.stdout()).containsExactly("KAFKA READY bootstrap=127.0.0.1:" + port);
    }

    private record Broker(Process process, List<String> stdout, Path stderr) {
    }

    private Broker start(int port, int controllerPort, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dataDir.resolveSibling(dataDir.getFileName() + "-" + name + ".err");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LocalKafka.class.getName(),
                "--data-dir", dataDir.toString(), "--port", String.valueOf(port),
                "--controller-port", String.valueOf(controllerPort), "--topic", "greetings:3")
                .redirectError(stderr.toFile())
                .start();
        started.add(process);
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("local-kafka-stdout-" + name).start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                    if (line.startsWith(LocalKafka.READY_PREFIX)) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("stdout closed before READY"));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        });
        try {
            ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("broker did not get ready; stderr:\n" + Files.readString(stderr), e);
        }
        return new Broker(process, lines, stderr);
    }

    private static void stop(Broker broker) throws InterruptedException {
        broker.process().destroy(); // SIGTERM: the broker's shutdown hook stops it cleanly
        assertThat(broker.process().waitFor(60, TimeUnit.SECONDS)).as("broker stopped after SIGTERM").isTrue();
    }

    private static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consumeAll(String bootstrap, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
