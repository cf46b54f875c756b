package dev.batchmesh.localkafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command line of {@link LocalKafka}:
 *
 * <pre>
 * --data-dir DIR            storage, formatted on first use and reused after (default target/local-kafka-data)
 * --port N                  broker (PLAINTEXT) port on 127.0.0.1, default 9092
 * --controller-port N       KRaft controller port on 127.0.0.1, default 9093
 * --topic NAME:PARTITIONS   a topic to create if missing, repeatable
 * --property KEY=VALUE      an extra broker setting, repeatable (overrides the defaults)
 * </pre>
 */
record LocalKafkaOptions(Path dataDir, int port, int controllerPort, List<TopicSpec> topics,
                         Map<String, String> properties) {

    static final String USAGE = "usage: LocalKafka [--data-dir DIR] [--port 9092] [--controller-port 9093]"
            + " [--topic NAME:PARTITIONS]... [--property KEY=VALUE]...";

    record TopicSpec(String name, int partitions) {

        static TopicSpec parse(String spec) {
            int colon = spec.lastIndexOf(':');
            if (colon <= 0 || colon == spec.length() - 1) {
                throw new IllegalArgumentException("topic must be NAME:PARTITIONS, was '" + spec + "'");
            }
            int partitions = Integer.parseInt(spec.substring(colon + 1));
            if (partitions < 1) {
                throw new IllegalArgumentException("topic " + spec + " needs at least one partition");
            }
            return new TopicSpec(spec.substring(0, colon), partitions);
        }
    }

    LocalKafkaOptions {
        topics = List.copyOf(topics);
        properties = Map.copyOf(properties);
    }

    static LocalKafkaOptions parse(String... args) {
        Path dataDir = Path.of("target", "local-kafka-data");
        int port = 9092;
        int controllerPort = 9093;
        List<TopicSpec> topics = new ArrayList<>();
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--port" -> port = parsePort(value);
                case "--controller-port" -> controllerPort = parsePort(value);
                case "--topic" -> topics.add(TopicSpec.parse(value));
                case "--property" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("property must be KEY=VALUE, was '" + value + "'");
                    }
                    properties.put(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (port == controllerPort) {
            throw new IllegalArgumentException("broker and controller ports must differ, both were " + port);
        }
        return new LocalKafkaOptions(dataDir.toAbsolutePath(), port, controllerPort, topics, properties);
    }

    private static int parsePort(String value) {
        int port = Integer.parseInt(value);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + value);
        }
        return port;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }
}
