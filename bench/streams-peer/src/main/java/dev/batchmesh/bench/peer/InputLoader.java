package dev.batchmesh.bench.peer;

import dev.batchmesh.bench.workload.WorkloadGenerator;
import dev.batchmesh.bench.workload.WorkloadRecord;
import dev.batchmesh.core.series.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the input topic with one message per generated record. The topic is named after a digest
 * of everything that decides its content, so a second run with the same options (the other
 * processing guarantee, say) finds it complete and reuses it; anything partial is dropped and
 * written again. Input never expires ({@code retention.ms=-1}): the workload's event times may lie
 * long before the broker's clock.
 */
final class InputLoader {

    private static final Logger log = LoggerFactory.getLogger(InputLoader.class);

    /** How the input came to be: written now, or found complete from an earlier run. */
    record Loaded(String topic, boolean written, double seconds) {
    }

    private final PeerOptions options;
    private final KafkaTopics topics;

    InputLoader(PeerOptions options, KafkaTopics topics) {
        this.options = options;
        this.topics = topics;
    }

    static String topicName(PeerOptions o) {
        String content = o.workload().describe() + " records=" + o.records() + " value-bytes=" + o.valueBytes()
                + " partitions=" + o.partitions() + " tenant=" + o.tenant() + " stream=" + o.stream();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "peer-input-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Loaded ensureLoaded() {
        String topic = topicName(options);
        TopicDescription existing = topics.describe(topic);
        if (existing != null) {
            long held = topics.endOffsets(topic, existing.partitions().size()).values().stream().mapToLong(Long::longValue).sum();
            if (existing.partitions().size() == options.partitions() && held == options.records()) {
                log.info("Reusing {}: it holds the {} records of this workload", topic, held);
                return new Loaded(topic, false, 0);
            }
            log.info("{} holds {} of {} records; writing it again", topic, held, options.records());
            topics.delete(Set.of(topic));
        }
        topics.create(topic, options.partitions(), Map.of("retention.ms", "-1"));
        long start = System.nanoTime();
        write(topic);
        double seconds = (System.nanoTime() - start) / 1e9;
        log.info("Wrote {} records to {} in {} s ({} records/s)", options.records(), topic,
                String.format("%.1f", seconds), String.format("%.0f", options.records() / seconds));
        return new Loaded(topic, true, seconds);
    }

    private void write(String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        WorkloadGenerator generator = new WorkloadGenerator(options.workload());
        byte[][] keyBytes = new byte[options.workload().keys().keys()][];
        // padding draws from its own generator so the records' values do not depend on the value size
        SplittableRandom padding = new SplittableRandom(~options.workload().seed());
        AtomicReference<Exception> failure = new AtomicReference<>();
        long progressStep = Math.max(1, options.records() / 10);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < options.records(); i++) {
                WorkloadRecord r = generator.next();
                byte[] key = keyBytes[r.keyRank()];
                if (key == null) {
                    key = new SeriesKey(options.tenant(), options.stream(), r.key()).toBytes();
                    keyBytes[r.keyRank()] = key;
                }
                byte[] value = PointValues.encode(r.value(), options.valueBytes(), padding);
                producer.send(new ProducerRecord<>(topic, null, r.timestampMillis(), key, value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                if (failure.get() != null) {
                    break;
                }
                if ((i + 1) % progressStep == 0) {
                    log.info("Sent {} of {} records", i + 1, options.records());
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("writing the input failed: " + failure.get().getMessage(), failure.get());
        }
    }
}
