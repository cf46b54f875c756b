package dev.batchmesh.processor.processing;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What one micro-batch turned into: the partials messages to publish and its record counts. */
record ProcessedBatch(List<ProducerRecord<byte[], byte[]>> partials, int records, int lateRecords) {

    ProcessedBatch {
        partials = List.copyOf(partials);
    }
}
