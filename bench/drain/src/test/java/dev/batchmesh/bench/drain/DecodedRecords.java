package dev.batchmesh.bench.drain;

import dev.batchmesh.bench.workload.WorkloadRecord;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.SeriesPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records as (timestamp, value) sequences per key, the view in which micro-batches and the generated workload must agree. */
final class DecodedRecords {

    record Point(long timestampMillis, double value) {
    }

    private DecodedRecords() {
    }

    static Map<String, List<Point>> perKey(List<MicroBatch> batches) {
        Map<String, List<Point>> out = new TreeMap<>();
        for (MicroBatch batch : batches) {
            for (SeriesPoints s : batch.series()) {
                List<Point> points = out.computeIfAbsent(s.series().key(), k -> new ArrayList<>());
                for (int i = 0; i < s.size(); i++) {
                    points.add(new Point(s.timestamps()[i], s.values()[i]));
                }
            }
        }
        return out;
    }

    static Map<String, List<Point>> perKey(Iterable<WorkloadRecord> records) {
        Map<String, List<Point>> out = new TreeMap<>();
        for (WorkloadRecord r : records) {
            out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new Point(r.timestampMillis(), r.value()));
        }
        return out;
    }
}
