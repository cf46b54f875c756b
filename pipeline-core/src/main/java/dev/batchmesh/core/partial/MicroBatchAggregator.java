package dev.batchmesh.core.partial;

import dev.batchmesh.core.aggregate.WindowAccumulator;
import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.series.WindowSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The processor's pure step: one micro-batch in, one {@link SeriesPartials} per series out, each
 * with a partial per window the series touched. Records whose window closed more than
 * {@code grace} before the batch was created are late: they are left out and counted.
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

    public record Result(List<SeriesPartials> partials, int records, int lateRecords) {
    }

    public Result aggregate(MicroBatch batch) {
        List<SeriesPartials> out = new ArrayList<>(batch.series().size());
        int late = 0;
        int records = 0;
        for (SeriesPoints s : batch.series()) {
            Map<Long, WindowAccumulator> byWindow = new TreeMap<>();
            long[] ts = s.timestamps();
            double[] values = s.values();
            for (int i = 0; i < ts.length; i++) {
                long start = windows.startOf(ts[i]);
                if (isLate(start, batch.createdAt())) {
                    late++;
                    continue;
                }
                byWindow.computeIfAbsent(start, w -> new WindowAccumulator(sketchK)).add(values[i]);
                records++;
            }
            if (byWindow.isEmpty()) {
                continue;
            }
            List<WindowPartial> partials = new ArrayList<>(byWindow.size());
            byWindow.forEach((start, acc) -> partials.add(new WindowPartial(start, acc.toPartial())));
            out.add(new SeriesPartials(s.series(), windows.sizeMillis(), batch.createdAt(), partials));
        }
        return new Result(out, records, late);
    }

    public boolean isLate(long windowStart, long arrival) {
        return windows.endOf(windowStart) + graceMillis <= arrival;
    }
}
