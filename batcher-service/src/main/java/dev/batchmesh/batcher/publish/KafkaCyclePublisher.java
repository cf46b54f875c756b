package dev.batchmesh.batcher.publish;

import dev.batchmesh.batcher.batching.BatchingMetrics;
import dev.batchmesh.batcher.batching.CommitMarker;
import dev.batchmesh.batcher.batching.CyclePublisher;
import dev.batchmesh.batcher.batching.FlushCycle;
import dev.batchmesh.batcher.batching.IngestBatch;
import dev.batchmesh.batcher.batching.PartitionBuffer;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.MicroBatchCodec;
import dev.batchmesh.core.contract.PipelineTopics;
import io.micrometer.tracing.Span;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes a flush cycle as one Kafka transaction: one micro-batch message per partition buffer (or
 * several when a buffer outgrew the batch limits), each with an explicit partition, no key, and the
 * format-version and batch-id headers. Returns only after the commit, so a 202 means committed.
 * The same transaction carries the {@link CommitMarker} of every keyed request of the cycle (its
 * Idempotency-Key's COMMITTED record): data and "done" marker become visible together or not at all.
 */
public final class KafkaCyclePublisher implements CyclePublisher {

    private static final byte[] FORMAT_VERSION = {(byte) MicroBatchCodec.CURRENT_VERSION};

    private final KafkaTemplate<byte[], byte[]> template;
    private final String topic;
    private final MicroBatchAssembler assembler;
    private final BatchingMetrics metrics;
    private final BatchSpans spans;

    public KafkaCyclePublisher(KafkaTemplate<byte[], byte[]> template, String topic, int maxRecords, long maxBytes, BatchingMetrics metrics,
            BatchSpans spans) {
        this.template = template;
        this.topic = topic;
        this.assembler = new MicroBatchAssembler(maxRecords, maxBytes);
        this.metrics = metrics;
        this.spans = spans;
    }

    @Override
    public int partitionCount() {
        // Inside a transaction because the template only hands out the transactional producer there;
        // as a side effect the producer initialises its transactions at start-up rather than on the first request.
        List<?> partitions = template.executeInTransaction(operations -> operations.partitionsFor(topic));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions");
        }
        return partitions.size();
    }

    @Override
    public void publish(FlushCycle cycle) {
        // Encode before the transaction begins: the transaction stays as short as the network allows.
        List<ProducerRecord<byte[], byte[]>> messages = new ArrayList<>(cycle.partitionBuffers().size());
        List<int[]> sizes = new ArrayList<>(cycle.partitionBuffers().size());
        List<Span> batchSpans = new ArrayList<>(cycle.partitionBuffers().size());
        for (PartitionBuffer buffer : cycle.partitionBuffers()) {
            for (MicroBatch batch : assembler.assemble(buffer)) {
                byte[] value = MicroBatchCodec.encode(batch);
                List<Header> headers = new ArrayList<>(4);
                headers.add(new RecordHeader(PipelineTopics.FORMAT_VERSION_HEADER, FORMAT_VERSION));
                headers.add(new RecordHeader(PipelineTopics.BATCH_ID_HEADER, idBytes(batch.id())));
                // A split buffer's batches each link to all of the buffer's requests: a superset, never a miss.
                batchSpans.add(spans.start(batch, topic, buffer.partition(), buffer.origins(), headers));
                messages.add(new ProducerRecord<>(topic, buffer.partition(), null, null, value, headers));
                sizes.add(new int[] {batch.recordCount(), value.length});
            }
        }
        for (IngestBatch request : cycle.requests()) {
            CommitMarker marker = request.commitMarker();
            if (marker != null) {
                messages.add(new ProducerRecord<>(marker.topic(), marker.key(), marker.value()));
            }
        }
        try {
            template.executeInTransaction(operations -> {
                for (ProducerRecord<byte[], byte[]> message : messages) {
                    operations.send(message);
                }
                return null;
            });
        } catch (RuntimeException e) {
            batchSpans.forEach(span -> span.error(e).end());
            throw e;
        }
        batchSpans.forEach(Span::end);
        for (int[] size : sizes) {
            metrics.batchPublished(size[0], size[1]);
        }
    }

    static byte[] idBytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }
}
