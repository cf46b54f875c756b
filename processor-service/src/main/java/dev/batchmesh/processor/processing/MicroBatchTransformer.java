package dev.batchmesh.processor.processing;

import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.contract.PipelineTopics;
import dev.batchmesh.core.partial.MicroBatchAggregator;
import dev.batchmesh.core.partial.SeriesPartials;
import dev.batchmesh.core.partial.SeriesPartialsCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The processor's transform with no I/O: {@code microbatches} messages in, one {@code partials}
 * message per series out, keyed by the series bytes so Kafka's key partitioner puts every partial of
 * a series on the same partition and aggregator task. The micro-batches of a poll aggregate
 * together: a series gets one partials message for the whole poll. {@link #decode} throws
 * {@link dev.batchmesh.core.codec.MalformedDataException} for a message that does not decode.
 */
class MicroBatchTransformer {

    private final MicroBatchAggregator aggregator;
    private final String outputTopic;

    MicroBatchTransformer(MicroBatchAggregator aggregator, String outputTopic) {
        this.aggregator = aggregator;
        this.outputTopic = outputTopic;
    }

    MicroBatch decode(ConsumerRecord<byte[], byte[]> message) {
        return MicroBatchDecoder.decode(message.headers(), message.value());
    }

    /** One message alone. */
    ProcessedBatch transform(ConsumerRecord<byte[], byte[]> message) {
        return aggregate(List.of(message), List.of(decode(message)));
    }

    /**
     * The decoded micro-batches of {@code messages}, in the same order, aggregated together. Each
     * partial carries the batch id of the first message that contributed to it, for logs and tracing.
     */
    ProcessedBatch aggregate(List<ConsumerRecord<byte[], byte[]>> messages, List<MicroBatch> batches) {
        MicroBatchAggregator.Result result = aggregator.aggregate(batches);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(result.partials().size());
        for (int i = 0; i < result.partials().size(); i++) {
            SeriesPartials partials = result.partials().get(i);
            Header batchId = messages.get(result.sources()[i]).headers().lastHeader(PipelineTopics.BATCH_ID_HEADER);
            RecordHeaders headers = new RecordHeaders();
            if (batchId != null) {
                headers.add(batchId);
            }
            out.add(new ProducerRecord<>(outputTopic, null, partials.series().toBytes(),
                    SeriesPartialsCodec.encodeValue(partials), headers));
        }
        return new ProcessedBatch(out, result.sources(), batches.size(), result.records(), result.lateRecords());
    }
}
