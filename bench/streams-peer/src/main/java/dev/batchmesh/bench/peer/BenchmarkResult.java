package dev.batchmesh.bench.peer;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one line a benchmark runner prints on stdout, the same shape for every peer so results can be
 * compared and collected by scripts: what ran ({@code benchmark}, {@code variant}), how many records
 * in how many seconds, the rate, and whatever else describes the run in {@code details}.
 */
public record BenchmarkResult(String benchmark, String variant, long records, double seconds, double recordsPerSecond,
                              Map<String, Object> details) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public BenchmarkResult {
        details = new LinkedHashMap<>(details);
    }

    public static BenchmarkResult of(String benchmark, String variant, long records, double seconds,
                                     Map<String, Object> details) {
        return new BenchmarkResult(benchmark, variant, records, round(seconds), round(records / seconds), details);
    }

    public String toJsonLine() {
        return JSON.writeValueAsString(this);
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
