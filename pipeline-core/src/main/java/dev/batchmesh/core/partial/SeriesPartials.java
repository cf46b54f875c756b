package dev.batchmesh.core.partial;

import dev.batchmesh.core.series.SeriesKey;
import java.util.List;

/**
 * What a processor's poll of micro-batches contributed to one series: a partial per window it
 * touched. Published on {@code partials} with the other series of its partition (the partition the
 * series bytes pick, so every partial of a series reaches the same aggregator task; see
 * {@link SeriesPartialsCodec}). {@code batchCreatedAt} is the earliest arrival time of the records
 * that fed it, carried for end-to-end latency.
 */
public record SeriesPartials(SeriesKey series, long windowSizeMillis, long batchCreatedAt, List<WindowPartial> windows) {

    public SeriesPartials {
        windows = List.copyOf(windows);
    }
}
