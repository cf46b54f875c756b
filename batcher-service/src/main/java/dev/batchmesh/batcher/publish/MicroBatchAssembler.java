package dev.batchmesh.batcher.publish;

import dev.batchmesh.batcher.batching.EncodedSize;
import dev.batchmesh.batcher.batching.PartitionBuffer;
import dev.batchmesh.batcher.batching.SeriesColumn;
import dev.batchmesh.batcher.batching.StreamRef;
import dev.batchmesh.batcher.batching.StreamSeries;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.series.SeriesKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns one partition buffer into micro-batches within the batch limits. Usually that is one batch;
 * a buffer that outgrew the limits (a large request lands in one cycle whole) is split, a long series
 * across several batches if need be, and all of them go into the same transaction.
 */
final class MicroBatchAssembler {

    private final int maxRecords;
    private final long maxBytes;

    MicroBatchAssembler(int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    List<MicroBatch> assemble(PartitionBuffer buffer) {
        List<MicroBatch> batches = new ArrayList<>(1);
        Pending pending = new Pending();
        for (Map.Entry<StreamRef, StreamSeries> group : buffer.groups().entrySet()) {
            StreamRef stream = group.getKey();
            for (SeriesColumn column : group.getValue().columns()) {
                int offset = 0;
                while (offset < column.size()) {
                    long overhead = EncodedSize.series(column.keyBytes()) + (stream.equals(pending.lastStream) ? 0 : EncodedSize.group(stream));
                    long byteRoom = (maxBytes - pending.bytes - overhead) / EncodedSize.PER_RECORD;
                    int fit = (int) Math.min(column.size() - offset, Math.min(maxRecords - pending.records, Math.max(0, byteRoom)));
                    if (fit <= 0) {
                        if (pending.records > 0) {
                            batches.add(pending.toBatch());
                            pending = new Pending();
                            continue;
                        }
                        fit = 1; // limits below one record's size still make progress
                    }
                    pending.add(stream, column, offset, fit, overhead);
                    offset += fit;
                }
            }
        }
        if (pending.records > 0) {
            batches.add(pending.toBatch());
        }
        return batches;
    }

    private static final class Pending {

        final List<SeriesPoints> series = new ArrayList<>();
        StreamRef lastStream;
        int records;
        long bytes = EncodedSize.PER_BATCH;
        long createdAt = Long.MAX_VALUE;

        void add(StreamRef stream, SeriesColumn column, int offset, int count, long overhead) {
            long[] timestamps = column.timestamps();
            double[] values = column.values();
            // Hand the column's arrays over when they hold exactly this series (the common case of a
            // series from a single request); copy otherwise, since SeriesPoints owns its arrays.
            if (offset != 0 || count != timestamps.length) {
                timestamps = Arrays.copyOfRange(timestamps, offset, offset + count);
                values = Arrays.copyOfRange(values, offset, offset + count);
            }
            series.add(new SeriesPoints(new SeriesKey(stream.tenant(), stream.stream(), column.key()), timestamps, values));
            lastStream = stream;
            records += count;
            bytes += overhead + (long) count * EncodedSize.PER_RECORD;
            // Earliest arrival of the series: exact unless a long series is split, then at most earlier,
            // which never makes a processor see an accepted record as late.
            createdAt = Math.min(createdAt, column.earliestArrivalMillis());
        }

        MicroBatch toBatch() {
            return new MicroBatch(UUID.randomUUID(), createdAt, series);
        }
    }
}
