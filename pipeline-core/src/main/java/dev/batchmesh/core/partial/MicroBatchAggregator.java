package dev.batchmesh.core.partial;

import dev.batchmesh.core.aggregate.WindowAccumulator;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.series.SeriesKey;
import dev.batchmesh.core.series.WindowSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The processor's pure step: micro-batches in, one {@link SeriesPartials} per series out, each with
 * a partial per window the series touched. Several micro-batches (a processor's poll) aggregate
 * together, so a series gets one partial per window across all of them rather than one per batch:
 * with many keys a single batch holds few records of each, and every partial costs the aggregator
 * a merge. Records whose window closed more than {@code grace} before their own batch was created
 * are late: they are left out and counted.
 */
public final class MicroBatchAggregator {

    private final WindowSpec windows;
    private final long graceMillis;
    private final int sketchK;

    public MicroBatchAggregator(WindowSpec windows, long graceMillis, int sketchK) {
        this.windows = windows;
        this.graceMillis = graceMillis;
        this.sketchK = sketchK;
    }

    /**
     * The partials in the order their series first appeared, and for each the index of the first
     * input batch that contributed to it; a series' partials carry the earliest {@code createdAt} of
     * the batches that contributed to it.
     */
    public record Result(List<SeriesPartials> partials, int[] sources, int records, int lateRecords) {
    }

    public Result aggregate(MicroBatch batch) {
        return aggregate(List.of(batch));
    }

    public Result aggregate(List<MicroBatch> batches) {
        Map<SeriesKey, SeriesWindows> bySeries = new LinkedHashMap<>();
        int late = 0;
        int records = 0;
        for (int b = 0; b < batches.size(); b++) {
            MicroBatch batch = batches.get(b);
            for (SeriesPoints s : batch.series()) {
                SeriesWindows series = null;
                long[] ts = s.timestamps();
                double[] values = s.values();
                for (int i = 0; i < ts.length; i++) {
                    long start = windows.startOf(ts[i]);
                    if (isLate(start, batch.createdAt())) {
                        late++;
                        continue;
                    }
                    if (series == null) {
                        int source = b;
                        series = bySeries.computeIfAbsent(s.series(), key -> new SeriesWindows(source));
                        series.createdAt = Math.min(series.createdAt, batch.createdAt());
                    }
                    series.window(start, sketchK).add(values[i]);
                    records++;
                }
            }
        }
        List<SeriesPartials> out = new ArrayList<>(bySeries.size());
        int[] sources = new int[bySeries.size()];
        for (Map.Entry<SeriesKey, SeriesWindows> entry : bySeries.entrySet()) {
            SeriesWindows series = entry.getValue();
            List<WindowPartial> partials = new ArrayList<>(series.byWindow.size());
            series.byWindow.forEach((start, acc) -> partials.add(new WindowPartial(start, acc.toPartial())));
            sources[out.size()] = series.source;
            out.add(new SeriesPartials(entry.getKey(), windows.sizeMillis(), series.createdAt, partials));
        }
        return new Result(out, sources, records, late);
    }

    public boolean isLate(long windowStart, long arrival) {
        return windows.endOf(windowStart) + graceMillis <= arrival;
    }

    /** One series' accumulators by window start, and the first batch that brought it. */
    private static final class SeriesWindows {

        final Map<Long, WindowAccumulator> byWindow = new TreeMap<>();
        final int source;
        long createdAt = Long.MAX_VALUE;

        SeriesWindows(int source) {
            this.source = source;
        }

        WindowAccumulator window(long start, int sketchK) {
            return byWindow.computeIfAbsent(start, w -> new WindowAccumulator(sketchK));
        }
    }
}
