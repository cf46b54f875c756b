package dev.batchmesh.bench.jmh;

import dev.batchmesh.core.batch.MicroBatchCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns JMH's JSON result file into the figures the benchmarks are read by: operations per second,
 * and records per second for every benchmark whose operation is a batch of {@code records} records.
 * Prints a table and writes the same rows as JSON beside the input ({@code -summary.json}).
 *
 * <pre>
 * java -cp ... dev.batchmesh.bench.jmh.ResultSummary bench/results/jmh-TIMESTAMP.json
 * </pre>
 */
public final class ResultSummary {

    /** One benchmark with one set of parameters; {@code recordsPerSecond} is null where an operation is not a batch. */
    record Row(String benchmark, Map<String, String> params, double opsPerSecond, double opsPerSecondError,
               Double recordsPerSecond) {
    }

    private ResultSummary() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ResultSummary JMH_RESULT.json");
            System.exit(2);
        }
        Path input = Path.of(args[0]);
        JsonMapper mapper = JsonMapper.builder().build();
        List<Row> rows = rows(mapper.readTree(input.toFile()));

        System.out.printf(Locale.ROOT, "%-50s %-46s %14s %14s%n", "benchmark", "params", "ops/s", "records/s");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "%-50s %-46s %,14.0f %14s%n", row.benchmark(), compact(row.params()),
                    row.opsPerSecond(), row.recordsPerSecond() == null ? "-" : String.format(Locale.ROOT, "%,.0f", row.recordsPerSecond()));
        }
        printEncodedSizes();

        String name = input.getFileName().toString().replaceFirst("\\.json$", "") + "-summary.json";
        Path output = input.resolveSibling(name);
        Files.writeString(output, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        System.out.println("summary written to " + output);
    }

    static List<Row> rows(JsonNode results) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode result : results) {
            String benchmark = result.get("benchmark").asString().replaceFirst("^dev\\.batchmesh\\.bench\\.jmh\\.", "");
            Map<String, String> params = new LinkedHashMap<>();
            JsonNode paramsNode = result.get("params");
            if (paramsNode != null) {
                paramsNode.properties().forEach(e -> params.put(e.getKey(), e.getValue().asString()));
            }
            JsonNode metric = result.get("primaryMetric");
            double perSecond = perSecond(metric.get("scoreUnit").asString());
            double ops = number(metric.get("score")) * perSecond;
            double error = number(metric.get("scoreError")) * perSecond;
            Double records = params.containsKey("records") && !Double.isNaN(ops)
                    ? ops * Integer.parseInt(params.get("records")) : null;
            rows.add(new Row(benchmark, params, ops, Double.isNaN(error) ? 0 : error, records));
        }
        return rows;
    }

    /** JMH writes a score it could not compute, such as the error of a single iteration, as the string "NaN". */
    private static double number(JsonNode node) {
        return node != null && node.isNumber() ? node.asDouble() : Double.NaN;
    }

    /** The factor from a throughput unit to operations per second; NaN for units of time per operation. */
    private static double perSecond(String unit) {
        return switch (unit) {
            case "ops/s" -> 1;
            case "ops/ms" -> 1e3;
            case "ops/us" -> 1e6;
            case "ops/ns" -> 1e9;
            case "ops/min" -> 1 / 60.0;
            default -> Double.NaN;
        };
    }

    private static String compact(Map<String, String> params) {
        StringBuilder s = new StringBuilder();
        params.forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return s.toString();
    }

    /** Bytes on the wire for the default fixture, the other half of the codec comparison. */
    private static void printEncodedSizes() {
        BatchFixture fixture = BatchFixture.of(1000, 300, "zipf:1.1", 42);
        int binary = MicroBatchCodec.encode(fixture.batch()).length;
        int json = JsonRecords.encode(fixture.records(), JsonRecords.Format.ARRAY).length;
        int ndjson = JsonRecords.encode(fixture.records(), JsonRecords.Format.NDJSON).length;
        System.out.printf(Locale.ROOT, "encoded size of the 1,000-record fixture: binary %,d bytes, JSON array %,d bytes,"
                + " NDJSON %,d bytes%n", binary, json, ndjson);
    }
}
