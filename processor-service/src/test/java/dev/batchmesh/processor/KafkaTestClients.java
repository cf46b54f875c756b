package dev.batchmesh.processor;

import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.contract.PipelineTopics;
import dev.batchmesh.core.partial.SeriesPartials;
import dev.batchmesh.core.partial.SeriesPartialsCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients playing the batcher (transactional producer) and the aggregator (read_committed reader). */
public final class KafkaTestClients {

    private KafkaTestClients() {
    }

    public static KafkaProducer<byte[], byte[]> transactionalProducer(String bootstrap, String transactionalId) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    public static ProducerRecord<byte[], byte[]> microBatchMessage(String topic, int partition, MicroBatch batch) {
        return rawMicroBatchMessage(topic, partition, MicroBatchCodec.encode(batch), MicroBatchCodec.CURRENT_VERSION);
    }

    public static ProducerRecord<byte[], byte[]> rawMicroBatchMessage(String topic, int partition, byte[] value,
                                                                     Integer formatHeader) {
        RecordHeaders headers = new RecordHeaders();
        if (formatHeader != null) {
            headers.add(PipelineTopics.FORMAT_VERSION_HEADER, new byte[] {formatHeader.byteValue()});
        }
        UUID id = UUID.randomUUID();
        headers.add(PipelineTopics.BATCH_ID_HEADER,
                ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
        return new ProducerRecord<>(topic, partition, (byte[]) null, value, headers);
    }

    /** Sends the messages in one committed transaction and returns where they landed. */
    public static List<RecordMetadata> sendCommitted(KafkaProducer<byte[], byte[]> producer,
                                                     List<ProducerRecord<byte[], byte[]>> messages) throws Exception {
        producer.beginTransaction();
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> m : messages) {
            sent.add(producer.send(m));
        }
        producer.commitTransaction();
        List<RecordMetadata> out = new ArrayList<>();
        for (var f : sent) {
            out.add(f.get());
        }
        return out;
    }

    public static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls into {@code into} until {@code done} holds or the timeout passes; returns whether it held. */
    public static boolean pollUntil(KafkaConsumer<byte[], byte[]> consumer, List<ConsumerRecord<byte[], byte[]>> into,
                                    Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(into)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            consumer.poll(Duration.ofMillis(200)).forEach(into::add);
        }
        return true;
    }

    public static List<SeriesPartials> partialsOfStream(List<ConsumerRecord<byte[], byte[]>> records, String stream) {
        return records.stream()
                .flatMap(r -> SeriesPartialsCodec.decodeMessage(r.key(), r.value()).stream())
                .filter(p -> p.series().stream().equals(stream))
                .toList();
    }
}
