package dev.batchmesh.processor.processing;

import dev.batchmesh.processor.config.ProcessorProperties;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

/**
 * Consume-transform-produce for one poll of micro-batches. The container runs this method inside a
 * Kafka transaction (the auto-configured factory has a KafkaTransactionManager), so the partials
 * sent here, the dead letters and the offset commit past the whole poll happen together or not at
 * all.
 *
 * <p>A batch listener: one transaction per poll (at most {@code spring.kafka.consumer.max-poll-records}
 * micro-batches) rather than per micro-batch, because a transaction costs several broker round trips
 * whatever it holds. A micro-batch that cannot be decoded or aggregated is dead-lettered right here,
 * inside the same transaction, and the others of the poll go on: retrying cannot make its bytes
 * decode. Anything else that fails (a send the producer refuses) throws, which rolls the whole poll
 * back for the after-rollback processor to retry.
 */
class MicroBatchListener {

    static final String CONTAINER_ID = "microbatch-processor";
    private static final Logger log = LoggerFactory.getLogger(MicroBatchListener.class);

    private final MicroBatchTransformer transformer;
    private final KafkaTemplate<byte[], byte[]> template;
    private final ProcessorMetrics metrics;
    private final ProcessorProperties properties;
    private final ProcessingSpans spans;
    private final ConsumerRecordRecoverer deadLetters;

    MicroBatchListener(MicroBatchTransformer transformer, KafkaTemplate<byte[], byte[]> template, ProcessorMetrics metrics,
                       ProcessorProperties properties, ProcessingSpans spans, ConsumerRecordRecoverer deadLetters) {
        this.transformer = transformer;
        this.template = template;
        this.metrics = metrics;
        this.properties = properties;
        this.spans = spans;
        this.deadLetters = deadLetters;
    }

    public String inputTopic() {
        return properties.inputTopic();
    }

    public String groupId() {
        return properties.groupId();
    }

    public String concurrency() {
        return String.valueOf(properties.concurrency());
    }

    @KafkaListener(id = CONTAINER_ID, topics = "#{__listener.inputTopic()}", groupId = "#{__listener.groupId()}",
            concurrency = "#{__listener.concurrency()}", batch = "true")
    void onMicroBatches(List<ConsumerRecord<byte[], byte[]>> messages) {
        for (ConsumerRecord<byte[], byte[]> message : messages) {
            try (ProcessingSpans.Scope span = spans.start(message)) {
                process(message, span);
            }
        }
    }

    private void process(ConsumerRecord<byte[], byte[]> message, ProcessingSpans.Scope span) {
        long started = System.nanoTime();
        ProcessedBatch processed;
        try {
            processed = transformer.transform(message);
        } catch (RuntimeException e) {
            span.failed(e);
            deadLetters.accept(message, e);
            return;
        }
        for (ProducerRecord<byte[], byte[]> partial : processed.partials()) {
            spans.write(span, partial.headers());
            template.send(partial);
        }
        metrics.batchDuration().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        metrics.processed(processed);
        if (processed.lateRecords() > 0) {
            log.warn("Dropped {} late records of the micro-batch at {}-{}@{}", processed.lateRecords(),
                    message.topic(), message.partition(), message.offset());
        }
        log.debug("Processed the micro-batch at {}-{}@{}: {} records into {} partials", message.topic(), message.partition(),
                message.offset(), processed.records(), processed.partials().size());
    }
}
