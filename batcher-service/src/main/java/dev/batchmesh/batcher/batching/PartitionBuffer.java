package dev.batchmesh.batcher.batching;

import io.micrometer.tracing.TraceContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one flush cycle bound for one partition of the micro-batch topic, grouped the way
 * the micro-batch format stores them: by tenant's stream, then by key.
 */
public final class PartitionBuffer {

    private final int partition;
    private final Map<StreamRef, StreamSeries> groups = new LinkedHashMap<>();
    private final List<TraceContext> origins = new ArrayList<>(4);
    private int records;
    private long estimatedBytes = EncodedSize.PER_BATCH;
    /** The stream of the last append and its series: a request appends all its runs in a row. */
    private StreamRef lastStream;
    private StreamSeries lastSeries;

    PartitionBuffer(int partition) {
        this.partition = partition;
    }

    void append(StreamRef stream, SeriesRun run, long arrivalMillis, TraceContext origin) {
        // A request appends its runs one after the other, so comparing with the last suffices.
        if (origin != null && (origins.isEmpty() || origins.getLast() != origin)) {
            origins.add(origin);
        }
        StreamSeries series = stream == lastStream ? lastSeries : groups.get(stream);
        if (series == null) {
            series = new StreamSeries();
            groups.put(stream, series);
            estimatedBytes += EncodedSize.group(stream);
        }
        lastStream = stream;
        lastSeries = series;
        if (series.append(run, arrivalMillis)) {
            estimatedBytes += EncodedSize.series(run.keyBytes());
        }
        records += run.timestamps().length;
        estimatedBytes += (long) run.timestamps().length * EncodedSize.PER_RECORD;
    }

    public int partition() {
        return partition;
    }

    public int records() {
        return records;
    }

    public long estimatedBytes() {
        return estimatedBytes;
    }

    /** The span contexts of the traced requests with records here, in arrival order; read-only once sealed. */
    public List<TraceContext> origins() {
        return Collections.unmodifiableList(origins);
    }

    /** Series by tenant's stream and key, in first-arrival order; read-only once the cycle is sealed. */
    public Map<StreamRef, StreamSeries> groups() {
        return Collections.unmodifiableMap(groups);
    }
}
