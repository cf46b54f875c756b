package dev.batchmesh.batcher.batching;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The series of one tenant's stream in one partition buffer, by key, in first-arrival order. */
public final class StreamSeries {

    private final KeyIndex index = new KeyIndex(64);
    private final List<SeriesColumn> columns = new ArrayList<>();

    /** Appends the run to its series' column; true when that series is new here. */
    boolean append(SeriesRun run, long arrivalMillis) {
        int id = index.idOf(run.key());
        boolean created = id == columns.size();
        if (created) {
            columns.add(new SeriesColumn(run.key(), run.keyBytes(), run.timestamps().length));
        }
        columns.get(id).append(run.timestamps(), run.values(), arrivalMillis);
        return created;
    }

    /** The column of the key, or null when no record of it is here. */
    public SeriesColumn get(String key) {
        int id = index.find(key);
        return id < 0 ? null : columns.get(id);
    }

    /** Every column, in the order their series first arrived; read-only once the cycle is sealed. */
    public List<SeriesColumn> columns() {
        return Collections.unmodifiableList(columns);
    }
}
