package dev.batchmesh.processor.processing;

import dev.batchmesh.processor.config.ProcessorProperties;
import io.micrometer.tracing.TraceContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Consume-transform-produce for one micro-batch. The container runs this method inside a Kafka
 * transaction (the auto-configured factory has a KafkaTransactionManager), so the partials sent
 * here and the input offset commit together or not at all.
 *
 * <p>A record listener, not a batch listener: a micro-batch message already carries hundreds of
 * records, so one transaction per message is cheap, and spring-kafka can recover a single poison
 * message to the dead-letter topic inside the transaction only for record listeners (batch recovery
 * commits offsets outside it).
 */
class MicroBatchListener {

    static final String CONTAINER_ID = "microbatch-processor";
    private static final Logger log = LoggerFactory.getLogger(MicroBatchListener.class);

    private final MicroBatchTransformer transformer;
    private final KafkaTemplate<byte[], byte[]> template;
    private final ProcessorMetrics metrics;
    private final ProcessorProperties properties;
    private final TraceHeaders traceHeaders;

    MicroBatchListener(MicroBatchTransformer transformer, KafkaTemplate<byte[], byte[]> template,
                       ProcessorMetrics metrics, ProcessorProperties properties, TraceHeaders traceHeaders) {
        this.transformer = transformer;
        this.template = template;
        this.metrics = metrics;
        this.properties = properties;
        this.traceHeaders = traceHeaders;
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
            concurrency = "#{__listener.concurrency()}")
    void onMicroBatch(ConsumerRecord<byte[], byte[]> message) {
        ProcessedBatch processed = metrics.batchDuration().record(() -> {
            ProcessedBatch batch = transformer.transform(message);
            TraceContext trace = traceHeaders.current();
            for (ProducerRecord<byte[], byte[]> partial : batch.partials()) {
                traceHeaders.write(trace, partial.headers());
                template.send(partial);
            }
            return batch;
        });
        metrics.processed(processed);
        log.debug("Processed the micro-batch at {}-{}@{}: {} records into {} partials", message.topic(), message.partition(),
                message.offset(), processed.records(), processed.partials().size());
        if (processed.lateRecords() > 0) {
            log.warn("Dropped {} late records of the micro-batch at {}-{}@{}", processed.lateRecords(),
                    message.topic(), message.partition(), message.offset());
        }
    }
}
