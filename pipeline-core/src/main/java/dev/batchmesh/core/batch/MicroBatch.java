package dev.batchmesh.core.batch;

import java.util.List;
import java.util.UUID;

/**
 * One micro-batch: the unit the batcher publishes as a single Kafka message on {@code microbatches}
 * and the processor turns into partials. {@code createdAt} is the arrival time (epoch millis) of the
 * earliest request whose records it holds; lateness and end-to-end latency are measured from it.
 */
public record MicroBatch(UUID id, long createdAt, List<SeriesPoints> series) {

    public MicroBatch {
        series = List.copyOf(series);
    }

    public int recordCount() {
        int n = 0;
        for (SeriesPoints s : series) {
            n += s.size();
        }
        return n;
    }
}
