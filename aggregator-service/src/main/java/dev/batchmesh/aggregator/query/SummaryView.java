package dev.batchmesh.aggregator.query;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.aggregate.Statistics;

/**
 * All keys of a stream merged over {@code [from, to)}. With no records in range the answer is still
 * 200: count 0, sum 0, and min, max, mean, stddev and percentiles null.
 */
@JsonPropertyOrder({"stream", "from", "to", "count", "sum", "min", "max", "mean", "stddev", "p50", "p90", "p95", "p99"})
record SummaryView(String stream, String from, String to, long count, double sum, Double min, Double max, Double mean,
                   Double stddev, Double p50, Double p90, Double p95, Double p99) {

    static SummaryView of(String stream, TimeRange range, PartialAggregate aggregate) {
        Statistics s = aggregate.statistics();
        return new SummaryView(stream, range.from(), range.to(), s.count(), s.count() == 0 ? 0 : s.sum(),
                StatisticsValues.finite(s.min()), StatisticsValues.finite(s.max()), StatisticsValues.finite(s.mean()),
                StatisticsValues.stddev(s), StatisticsValues.finite(s.p50()), StatisticsValues.finite(s.p90()),
                StatisticsValues.finite(s.p95()), StatisticsValues.finite(s.p99()));
    }
}
