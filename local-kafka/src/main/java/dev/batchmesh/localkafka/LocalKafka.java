package dev.batchmesh.localkafka;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a real single-node Apache Kafka broker (KRaft, broker and controller in one process) from
 * the Kafka jars, for the one-command local run and for tests that must restart a broker. Formats
 * the data directory on first use, creates the requested topics, then prints exactly one line
 * {@code KAFKA READY bootstrap=127.0.0.1:<port>} on stdout; everything else goes to stderr.
 * SIGTERM (or Ctrl-C) shuts the broker down cleanly, so the next start on the same directory
 * finds every committed message.
 */
public final class LocalKafka {

    static {
        // before any logger exists: Kafka's own log4j2 lookup would otherwise log INFO to stdout
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:local-kafka-log4j2.xml");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);
    static final String READY_PREFIX = "KAFKA READY bootstrap=";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private LocalKafka() {
    }

    public static void main(String[] args) throws Exception {
        // stdout is a protocol channel for launchers: keep the real one for the READY line and send
        // anything a library prints there to stderr instead
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);

        LocalKafkaOptions options;
        try {
            options = LocalKafkaOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LocalKafkaOptions.USAGE);
            System.exit(2);
            return;
        }

        try {
            run(options, protocol);
        } catch (Exception e) {
            // exiting runs the shutdown hook, which stops a half-started broker
            log.error("Kafka failed to start on {}", options.bootstrap(), e);
            System.exit(1);
        }
    }

    private static void run(LocalKafkaOptions options, PrintStream protocol) throws Exception {
        Properties broker = BrokerProperties.of(options);
        format(options, broker);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(broker, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("local-kafka-shutdown").unstarted(() -> {
            log.info("Stopping Kafka on {}", options.bootstrap());
            server.shutdown();
            server.awaitShutdown();
            log.info("Kafka stopped");
        }));
        server.startup();
        new TopicCreator(options.bootstrap(), READY_TIMEOUT).createMissing(options.topics());

        protocol.println(READY_PREFIX + options.bootstrap());
        log.info("Kafka serving on {} with data in {}", options.bootstrap(), options.dataDir());
        server.awaitShutdown();
    }

    /** Formats the storage on first use; a formatted directory keeps its cluster id and data. */
    private static void format(LocalKafkaOptions options, Properties broker) throws IOException {
        Files.createDirectories(options.dataDir());
        Path config = options.dataDir().resolve("server.properties");
        try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            broker.store(out, "written by LocalKafka on every start; edits are overwritten");
        }
        Path logDir = Path.of(broker.getProperty("log.dirs"));
        if (Files.exists(logDir.resolve("meta.properties"))) {
            log.info("Reusing Kafka storage in {}", logDir);
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        int exit = StorageTool.execute(new String[] {"format", "--cluster-id", clusterId, "--config", config.toString(),
                "--ignore-formatted"}, System.err);
        if (exit != 0) {
            throw new IllegalStateException("formatting " + logDir + " failed with exit code " + exit);
        }
        log.info("Formatted Kafka storage in {} with cluster id {}", logDir, clusterId);
    }
}
