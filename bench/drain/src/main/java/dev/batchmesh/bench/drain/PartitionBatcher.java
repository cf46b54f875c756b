package dev.batchmesh.bench.drain;

import dev.batchmesh.bench.workload.WorkloadRecord;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.series.SeriesKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Cuts workload records into micro-batches the way the batcher does: one buffer per partition of
 * {@code microbatches}, a record going to the partition of its series
 * ({@link SeriesKey#partitionOf}), the records of a series kept together as columns in arrival
 * order, and a buffer cut into a batch once it holds {@code batchRecords}. Every batch therefore
 * holds only series of its own partition, which is what lets the processor's partials of a series
 * keep their order. A batch's {@code createdAt} is the clock at the cut, as the batcher stamps the
 * arrival of the earliest request. Not thread-safe.
 */
final class PartitionBatcher {

    /** A micro-batch and the partition it must be written to. */
    record Cut(int partition, MicroBatch batch) {
    }

    private final String tenant;
    private final String stream;
    private final int partitions;
    private final int batchRecords;
    private final LongSupplier clock;
    private final Buffer[] buffers;
    private final Map<String, Integer> partitionOfKey = new LinkedHashMap<>();

    PartitionBatcher(String tenant, String stream, int partitions, int batchRecords, LongSupplier clock) {
        if (partitions < 1 || batchRecords < 1) {
            throw new IllegalArgumentException("partitions and records per batch must be positive");
        }
        this.tenant = tenant;
        this.stream = stream;
        this.partitions = partitions;
        this.batchRecords = batchRecords;
        this.clock = clock;
        this.buffers = new Buffer[partitions];
        for (int p = 0; p < partitions; p++) {
            buffers[p] = new Buffer();
        }
    }

    /** Adds a record; returns the batch its partition's buffer was cut into, or null while it fills. */
    Cut add(WorkloadRecord record) {
        int partition = partitionOf(record.key());
        Buffer buffer = buffers[partition];
        buffer.add(record.key(), record.timestampMillis(), record.value());
        if (buffer.records < batchRecords) {
            return null;
        }
        return new Cut(partition, buffer.cut());
    }

    /** The partly filled buffers as batches, in partition order; the buffers are empty afterwards. */
    List<Cut> flush() {
        List<Cut> cuts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (buffers[p].records > 0) {
                cuts.add(new Cut(p, buffers[p].cut()));
            }
        }
        return cuts;
    }

    int partitionOf(String key) {
        Integer known = partitionOfKey.get(key);
        if (known == null) {
            known = SeriesKey.partitionOf(new SeriesKey(tenant, stream, key).toBytes(), partitions);
            partitionOfKey.put(key, known);
        }
        return known;
    }

    private final class Buffer {

        private final Map<String, Column> series = new LinkedHashMap<>();
        private int records;

        void add(String key, long timestamp, double value) {
            series.computeIfAbsent(key, k -> new Column()).add(timestamp, value);
            records++;
        }

        MicroBatch cut() {
            List<SeriesPoints> points = new ArrayList<>(series.size());
            series.forEach((key, column) -> points.add(column.toPoints(new SeriesKey(tenant, stream, key))));
            series.clear();
            records = 0;
            return new MicroBatch(UUID.randomUUID(), clock.getAsLong(), points);
        }
    }

    private static final class Column {

        private long[] timestamps = new long[8];
        private double[] values = new double[8];
        private int size;

        void add(long timestamp, double value) {
            if (size == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            timestamps[size] = timestamp;
            values[size] = value;
            size++;
        }

        SeriesPoints toPoints(SeriesKey key) {
            // SeriesPoints owns its arrays: hand over exact-size copies
            return new SeriesPoints(key, Arrays.copyOf(timestamps, size), Arrays.copyOf(values, size));
        }
    }
}
