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
 * The processor's transform with no I/O: one {@code microbatches} message in, one {@code partials}
 * message per series out, keyed by the series bytes so Kafka's key partitioner puts every partial of
 * a series on the same partition and aggregator task. Throws
 * {@link dev.batchmesh.core.codec.MalformedDataException} for a message that does not decode.
 */
class MicroBatchTransformer {

    private final MicroBatchAggregator aggregator;
    private final String outputTopic;

    MicroBatchTransformer(MicroBatchAggregator aggregator, String outputTopic) {
        this.aggregator = aggregator;
        this.outputTopic = outputTopic;
    }

    ProcessedBatch transform(ConsumerRecord<byte[], byte[]> message) {
        MicroBatch batch = MicroBatchDecoder.decode(message.headers(), message.value());
        MicroBatchAggregator.Result result = aggregator.aggregate(batch);
        Header batchId = message.headers().lastHeader(PipelineTopics.BATCH_ID_HEADER);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(result.partials().size());
        for (SeriesPartials partials : result.partials()) {
            // the batch id travels on for logs and tracing; the partition comes from the key
            RecordHeaders headers = new RecordHeaders();
            if (batchId != null) {
                headers.add(batchId);
            }
            out.add(new ProducerRecord<>(outputTopic, null, partials.series().toBytes(),
                    SeriesPartialsCodec.encodeValue(partials), headers));
        }
        return new ProcessedBatch(out, result.records(), result.lateRecords());
    }
}
