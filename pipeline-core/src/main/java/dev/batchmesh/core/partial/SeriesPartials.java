package dev.batchmesh.core.partial;

import dev.batchmesh.core.series.SeriesKey;
import java.util.List;

/**
 * What one micro-batch contributed to one series: a partial per window it touched. Published as one
 * message on {@code partials}, keyed by the series bytes so every partial of a series lands on the
 * same partition and aggregator task. {@code batchCreatedAt} is the earliest arrival time of the
 * batch's records, carried for end-to-end latency.
 */
public record SeriesPartials(SeriesKey series, long windowSizeMillis, long batchCreatedAt, List<WindowPartial> windows) {

    public SeriesPartials {
        windows = List.copyOf(windows);
    }
}
