package dev.batchmesh.aggregator.support;

import java.util.List;

/** The query API's JSON answers as tests read them: an independent copy of the contract. */
public final class QueryAnswers {

    private QueryAnswers() {
    }

    public record Window(String start, String end, long count, double sum, Double min, Double max, Double mean,
                         Double stddev, Double p50, Double p90, Double p95, Double p99) {
    }

    public record Aggregates(String stream, String key, String step, List<Window> windows) {
    }

    public record Keys(List<String> keys) {
    }

    public record Summary(String stream, String from, String to, long count, double sum, Double min, Double max,
                          Double mean, Double stddev, Double p50, Double p90, Double p95, Double p99) {

        public Window asWindow() {
            return new Window(from, to, count, sum, min, max, mean, stddev, p50, p90, p95, p99);
        }
    }
}
