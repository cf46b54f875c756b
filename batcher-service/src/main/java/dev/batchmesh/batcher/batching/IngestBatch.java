package dev.batchmesh.batcher.batching;

import dev.batchmesh.core.series.SeriesKey;
import io.micrometer.tracing.TraceContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The validated records of one request, grouped by series and assigned to partitions before they
 * enter the shared buffer, so the lock around the buffer only copies arrays. The future completes
 * when the Kafka transaction holding these records has committed, or exceptionally when it has not.
 */
public final class IngestBatch {

    private final StreamRef stream;
    private final long arrivalMillis;
    private final int records;
    private final long estimatedBytes;
    private final SeriesRun[] runs;
    private final int partitions;
    private final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    private final CompletableFuture<Void> admitted = new CompletableFuture<>();
    /** Written by the request before it is appended, read by the publisher after: the append's lock orders them. */
    private CommitMarker commitMarker;
    /** The ingest request's span context, set like the marker; null when the request was not traced. */
    private TraceContext origin;

    private IngestBatch(StreamRef stream, long arrivalMillis, int records, long estimatedBytes, SeriesRun[] runs, int partitions) {
        this.stream = stream;
        this.arrivalMillis = arrivalMillis;
        this.records = records;
        this.estimatedBytes = estimatedBytes;
        this.runs = runs;
        this.partitions = partitions;
    }

    /**
     * Groups the first {@code size} records of the columns by key. The tenant, stream and keys must
     * already be valid: this runs after validation and does not check them again.
     */
    public static IngestBatch group(String tenant, String stream, int size, String[] keys, long[] timestamps, double[] values,
            long arrivalMillis, int partitions) {
        if (size <= 0) {
            throw new IllegalArgumentException("a request holds at least one record");
        }
        KeyIndex index = new KeyIndex(Math.min(size, 1024));
        int[] counts = new int[Math.min(size, 16)];
        int[] seriesOf = new int[size];
        String previousKey = null;
        int previousIndex = -1;
        for (int i = 0; i < size; i++) {
            String key = keys[i];
            int s;
            if (key.equals(previousKey)) {
                s = previousIndex;
            } else {
                s = index.idOf(key);
                if (s == counts.length) {
                    counts = Arrays.copyOf(counts, Math.min(size, counts.length * 2));
                }
                previousKey = key;
                previousIndex = s;
            }
            seriesOf[i] = s;
            counts[s]++;
        }
        int seriesCount = index.size();
        StreamRef ref = new StreamRef(tenant, stream);
        byte[] prefix = SeriesKey.streamPrefix(tenant, stream);
        SeriesRun[] runs = new SeriesRun[seriesCount];
        long[][] ts = new long[seriesCount][];
        double[][] vs = new double[seriesCount][];
        long bytes = 0;
        boolean[] partitionTouched = new boolean[partitions];
        for (int s = 0; s < seriesCount; s++) {
            byte[] keyUtf8 = index.key(s).getBytes(StandardCharsets.UTF_8);
            byte[] seriesBytes = Arrays.copyOf(prefix, prefix.length + keyUtf8.length);
            System.arraycopy(keyUtf8, 0, seriesBytes, prefix.length, keyUtf8.length);
            int partition = SeriesKey.partitionOf(seriesBytes, partitions);
            ts[s] = new long[counts[s]];
            vs[s] = new double[counts[s]];
            runs[s] = new SeriesRun(partition, index.key(s), keyUtf8.length, ts[s], vs[s]);
            bytes += EncodedSize.series(keyUtf8.length);
            if (!partitionTouched[partition]) {
                partitionTouched[partition] = true;
                bytes += EncodedSize.group(ref);
            }
        }
        int[] filled = new int[seriesCount];
        for (int i = 0; i < size; i++) {
            int s = seriesOf[i];
            int at = filled[s]++;
            ts[s][at] = timestamps[i];
            vs[s][at] = values[i];
        }
        bytes += (long) size * EncodedSize.PER_RECORD;
        return new IngestBatch(ref, arrivalMillis, size, bytes, runs, partitions);
    }

    public StreamRef stream() {
        return stream;
    }

    public long arrivalMillis() {
        return arrivalMillis;
    }

    public int records() {
        return records;
    }

    /** Conservative: counts each key once per request, where a batch may share it between requests. */
    public long estimatedBytes() {
        return estimatedBytes;
    }

    /** The partition count the records were assigned for. */
    public int partitions() {
        return partitions;
    }

    SeriesRun[] runs() {
        return runs;
    }

    public CompletableFuture<Void> acknowledged() {
        return acknowledged;
    }

    /** Completes when a request queued for buffer space entered a cycle. */
    CompletableFuture<Void> admitted() {
        return admitted;
    }

    /** A record to write in the same transaction as this request's records (its Idempotency-Key's COMMITTED), or null. */
    public CommitMarker commitMarker() {
        return commitMarker;
    }

    /** The span of the request that carried these records, which its micro-batches link to; null when untraced. */
    public TraceContext origin() {
        return origin;
    }

    /** Attaches the request's span context; call before the request is appended. */
    public IngestBatch withOrigin(TraceContext origin) {
        this.origin = origin;
        return this;
    }

    /** Attaches the marker; call before the request is appended. */
    public IngestBatch withCommitMarker(CommitMarker marker) {
        this.commitMarker = marker;
        return this;
    }
}
