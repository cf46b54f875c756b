package dev.batchmesh.processor.processing;

import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.processor.config.ProcessorProperties;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.ArrayList;
import java.util.List;
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
 * whatever it holds; and the poll's micro-batches aggregate together, one partial per series and
 * window for the whole poll, because each partial costs the aggregator a merge and a single batch
 * often holds few records of a key. The series of a partition of {@code partials} share messages,
 * because each message costs the producer and the aggregator's stream thread again. A micro-batch
 * that cannot be decoded or aggregated is dead-lettered right here, inside the same transaction,
 * and the others of the poll go on: retrying cannot make its bytes decode. Anything else that fails
 * (a send the producer refuses) throws, which rolls the whole poll back for the after-rollback
 * processor to retry.
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
        long started = System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> accepted = new ArrayList<>(messages.size());
        List<MicroBatch> batches = new ArrayList<>(messages.size());
        List<Span> batchSpans = new ArrayList<>(messages.size());
        try {
            for (ConsumerRecord<byte[], byte[]> message : messages) {
                Span span = spans.start(message);
                try {
                    batches.add(transformer.decode(message));
                    accepted.add(message);
                    batchSpans.add(span);
                } catch (RuntimeException e) {
                    span.error(e).end();
                    deadLetters.accept(message, e);
                }
            }
            if (!batches.isEmpty()) {
                int partitions = template.partitionsFor(properties.outputTopic()).size();
                publish(aggregate(accepted, batches, batchSpans, partitions), accepted, batchSpans, started);
            }
        } finally {
            batchSpans.forEach(Span::end);
        }
    }

    /**
     * The poll's batches aggregated together; should that fail, each alone, so that only a batch
     * that fails by itself is dead-lettered and the others of the poll still count.
     */
    private ProcessedBatch aggregate(List<ConsumerRecord<byte[], byte[]>> accepted, List<MicroBatch> batches, List<Span> batchSpans,
                                     int partitions) {
        try {
            return transformer.aggregate(accepted, batches, partitions);
        } catch (RuntimeException together) {
            for (int i = batches.size() - 1; i >= 0; i--) {
                try {
                    transformer.aggregate(List.of(accepted.get(i)), List.of(batches.get(i)), partitions);
                } catch (RuntimeException alone) {
                    batchSpans.remove(i).error(alone).end();
                    deadLetters.accept(accepted.remove(i), alone);
                    batches.remove(i);
                }
            }
            return batches.isEmpty() ? null : transformer.aggregate(accepted, batches, partitions);
        }
    }

    private void publish(ProcessedBatch processed, List<ConsumerRecord<byte[], byte[]>> accepted, List<Span> batchSpans, long started) {
        if (processed == null) {
            return;
        }
        List<ProducerRecord<byte[], byte[]>> partials = processed.partials();
        for (int i = 0; i < partials.size(); i++) {
            ProducerRecord<byte[], byte[]> partial = partials.get(i);
            // a message fed by several batches continues the trace of the first of them
            spans.write(batchSpans.get(processed.sources()[i]), partial.headers());
            template.send(partial);
        }
        metrics.processed(processed, System.nanoTime() - started);
        ConsumerRecord<byte[], byte[]> first = accepted.getFirst();
        if (processed.lateRecords() > 0) {
            log.warn("Dropped {} late records of {} micro-batches from {}-{}@{}", processed.lateRecords(), accepted.size(),
                    first.topic(), first.partition(), first.offset());
        }
        if (log.isDebugEnabled()) {
            for (int i = 0; i < accepted.size(); i++) {
                ConsumerRecord<byte[], byte[]> message = accepted.get(i);
                try (Tracer.SpanInScope scope = spans.inScope(batchSpans.get(i))) {
                    log.debug("Processed the micro-batch at {}-{}@{} with {} others: {} records into {} partials", message.topic(),
                            message.partition(), message.offset(), accepted.size() - 1, processed.records(), partials.size());
                }
            }
        }
    }
}
