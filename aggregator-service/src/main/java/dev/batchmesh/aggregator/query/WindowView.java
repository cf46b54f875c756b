package dev.batchmesh.aggregator.query;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.aggregate.Statistics;
import java.time.Instant;

/** One output window of the API: {@code [start, end)} in RFC 3339 UTC and its statistics. */
@JsonPropertyOrder({"start", "end", "count", "sum", "min", "max", "mean", "stddev", "p50", "p90", "p95", "p99"})
record WindowView(String start, String end, long count, double sum, Double min, Double max, Double mean,
                  Double stddev, Double p50, Double p90, Double p95, Double p99) {

    static WindowView of(long startMillis, long endMillis, PartialAggregate aggregate) {
        Statistics s = aggregate.statistics();
        return new WindowView(Instant.ofEpochMilli(startMillis).toString(), Instant.ofEpochMilli(endMillis).toString(),
                s.count(), s.sum(), StatisticsValues.finite(s.min()), StatisticsValues.finite(s.max()),
                StatisticsValues.finite(s.mean()), StatisticsValues.stddev(s), StatisticsValues.finite(s.p50()),
                StatisticsValues.finite(s.p90()), StatisticsValues.finite(s.p95()), StatisticsValues.finite(s.p99()));
    }
}
