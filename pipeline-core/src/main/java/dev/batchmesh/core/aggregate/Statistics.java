package dev.batchmesh.core.aggregate;

/**
 * The statistics the API reports for one window. {@code stddev} is the sample standard deviation
 * (n - 1) and null below two records; percentiles are nearest-rank over the quantile sketch.
 */
public record Statistics(long count, double sum, double min, double max, double mean, Double stddev,
                         double p50, double p90, double p95, double p99) {
}
