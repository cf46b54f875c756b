package dev.batchmesh.batcher.batching;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The records gathered between two flushes: one partition buffer per touched partition and the
 * requests whose records they hold. A cycle is published as one Kafka transaction, so its requests
 * succeed or fail together and none is ever half-ingested.
 */
public final class FlushCycle {

    private final long sequence;
    private final long openedNanos;
    private final PartitionBuffer[] buffers;
    private final List<PartitionBuffer> touched = new ArrayList<>();
    private final List<IngestBatch> requests = new ArrayList<>();
    private int records;
    private long reservedBytes;

    FlushCycle(long sequence, long openedNanos, int partitions) {
        this.sequence = sequence;
        this.openedNanos = openedNanos;
        this.buffers = new PartitionBuffer[partitions];
    }

    /** Appends the whole request; returns true when a partition buffer reached a batch limit. */
    boolean append(IngestBatch batch, int maxRecords, long maxBytes) {
        boolean full = false;
        for (SeriesRun run : batch.runs()) {
            PartitionBuffer buffer = buffers[run.partition()];
            if (buffer == null) {
                buffer = new PartitionBuffer(run.partition());
                buffers[run.partition()] = buffer;
                touched.add(buffer);
            }
            buffer.append(batch.stream(), run, batch.arrivalMillis(), batch.origin());
            full |= buffer.records() >= maxRecords || buffer.estimatedBytes() >= maxBytes;
        }
        requests.add(batch);
        records += batch.records();
        reservedBytes += batch.estimatedBytes();
        return full;
    }

    public long sequence() {
        return sequence;
    }

    /** When the cycle's first request arrived, on the accumulator's nano clock. */
    public long openedNanos() {
        return openedNanos;
    }

    /** The partition buffers holding records, in the order they were first touched. */
    public List<PartitionBuffer> partitionBuffers() {
        return Collections.unmodifiableList(touched);
    }

    public List<IngestBatch> requests() {
        return Collections.unmodifiableList(requests);
    }

    public int records() {
        return records;
    }

    /** The buffer bytes this cycle holds until it is released. */
    public long reservedBytes() {
        return reservedBytes;
    }
}
