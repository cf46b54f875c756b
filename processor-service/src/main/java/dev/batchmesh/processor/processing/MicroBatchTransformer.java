package dev.batchmesh.processor.processing;

import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.contract.PipelineTopics;
import dev.batchmesh.core.partial.MicroBatchAggregator;
import dev.batchmesh.core.partial.SeriesPartials;
import dev.batchmesh.core.partial.SeriesPartialsCodec;
import dev.batchmesh.core.series.SeriesKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The processor's transform with no I/O: {@code microbatches} messages in, {@code partials} messages
 * out. The micro-batches of a poll aggregate together, one {@link SeriesPartials} per series, and
 * the series that share a partition of {@code partials} travel together in version-2 messages of at
 * most {@code messageMaxBytes}, sent to that partition: the one Kafka's key partitioner picks for
 * each of their series bytes, so every partial of a series still reaches the aggregator task that
 * owns it. {@link #decode} throws {@link dev.batchmesh.core.codec.MalformedDataException} for a
 * message that does not decode.
 */
class MicroBatchTransformer {

    private final MicroBatchAggregator aggregator;
    private final String outputTopic;
    private final int messageMaxBytes;

    MicroBatchTransformer(MicroBatchAggregator aggregator, String outputTopic, int messageMaxBytes) {
        this.aggregator = aggregator;
        this.outputTopic = outputTopic;
        this.messageMaxBytes = messageMaxBytes;
    }

    MicroBatch decode(ConsumerRecord<byte[], byte[]> message) {
        return MicroBatchDecoder.decode(message.headers(), message.value());
    }

    /** One message alone. */
    ProcessedBatch transform(ConsumerRecord<byte[], byte[]> message, int partitions) {
        return aggregate(List.of(message), List.of(decode(message)), partitions);
    }

    /**
     * The decoded micro-batches of {@code messages}, in the same order, aggregated together into
     * messages for a {@code partials} topic of {@code partitions} partitions. Each message carries
     * the batch id of the first input message that contributed to any of its series, for logs and
     * tracing.
     */
    ProcessedBatch aggregate(List<ConsumerRecord<byte[], byte[]>> messages, List<MicroBatch> batches, int partitions) {
        MicroBatchAggregator.Result result = aggregator.aggregate(batches);
        List<List<SeriesPartials>> byPartition = new ArrayList<>(partitions);
        List<List<Integer>> sourcesByPartition = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new ArrayList<>());
            sourcesByPartition.add(new ArrayList<>());
        }
        for (int i = 0; i < result.partials().size(); i++) {
            SeriesPartials partials = result.partials().get(i);
            int partition = SeriesKey.partitionOf(partials.series().toBytes(), partitions);
            byPartition.get(partition).add(partials);
            sourcesByPartition.get(partition).add(result.sources()[i]);
        }
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        List<Integer> sources = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            for (SeriesPartialsCodec.Bundle bundle : SeriesPartialsCodec.encodeBundles(byPartition.get(p), messageMaxBytes)) {
                int source = sourcesByPartition.get(p).subList(bundle.from(), bundle.to()).stream()
                        .mapToInt(Integer::intValue).min().orElseThrow();
                Header batchId = messages.get(source).headers().lastHeader(PipelineTopics.BATCH_ID_HEADER);
                RecordHeaders headers = new RecordHeaders();
                if (batchId != null) {
                    headers.add(batchId);
                }
                out.add(new ProducerRecord<>(outputTopic, p, (byte[]) null, bundle.value(), headers));
                sources.add(source);
            }
        }
        return new ProcessedBatch(out, sources.stream().mapToInt(Integer::intValue).toArray(), batches.size(),
                result.records(), result.lateRecords());
    }
}
