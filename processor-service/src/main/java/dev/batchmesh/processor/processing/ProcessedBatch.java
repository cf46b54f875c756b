package dev.batchmesh.processor.processing;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What micro-batches turned into: the partials messages to publish, for each the index of the
 * first input message that contributed to it, and the counts.
 */
record ProcessedBatch(List<ProducerRecord<byte[], byte[]>> partials, int[] sources, int batches, int records, int lateRecords) {

    ProcessedBatch {
        partials = List.copyOf(partials);
    }
}
