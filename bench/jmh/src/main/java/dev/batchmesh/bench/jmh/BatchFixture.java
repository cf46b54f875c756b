package dev.batchmesh.bench.jmh;

import dev.batchmesh.bench.workload.Arguments;
import dev.batchmesh.bench.workload.WorkloadGenerator;
import dev.batchmesh.bench.workload.WorkloadRecord;
import dev.batchmesh.bench.workload.WorkloadSpec;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.series.SeriesKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One micro-batch as the batcher would cut it from client requests: {@code records} records of one
 * tenant's stream over {@code keys} keys, log-normal latencies with three decimals, timestamps
 * spread over one second inside a single 10 s window, arriving two seconds after the first event.
 * The same records are also kept flat, in arrival order, for the JSON comparison.
 */
record BatchFixture(List<WorkloadRecord> records, MicroBatch batch) {

    static final String TENANT = "bench";
    static final String STREAM = "latency";
    /** 2026-01-01T00:00:01Z: a second into a 10 s window, so a second of events plus jitter stays inside it. */
    static final long FIRST_EVENT_MILLIS = 1_767_225_601_000L;

    static BatchFixture of(int records, int keys, String keyDistribution, long seed) {
        WorkloadSpec spec = WorkloadSpec.from(Arguments.parse(
                "--keys", Integer.toString(keys),
                "--key-distribution", keyDistribution,
                "--start", Long.toString(FIRST_EVENT_MILLIS),
                "--events-per-second", Integer.toString(records),
                "--jitter-ms", "200",
                "--seed", Long.toString(seed)));
        WorkloadGenerator generator = new WorkloadGenerator(spec);
        List<WorkloadRecord> flat = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            flat.add(generator.next());
        }
        return new BatchFixture(List.copyOf(flat), toBatch(flat, new UUID(seed, records)));
    }

    /** Groups records by key in order of first appearance, as the batcher's series columns do. */
    private static MicroBatch toBatch(List<WorkloadRecord> records, UUID id) {
        Map<String, List<WorkloadRecord>> byKey = new LinkedHashMap<>();
        for (WorkloadRecord r : records) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        List<SeriesPoints> series = new ArrayList<>(byKey.size());
        byKey.forEach((key, points) -> {
            long[] timestamps = new long[points.size()];
            double[] values = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                timestamps[i] = points.get(i).timestampMillis();
                values[i] = points.get(i).value();
            }
            series.add(new SeriesPoints(new SeriesKey(TENANT, STREAM, key), timestamps, values));
        });
        return new MicroBatch(id, FIRST_EVENT_MILLIS + 2_000, series);
    }
}
