package dev.batchmesh.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ResultSummaryTest {

    private static final String JMH_RESULT = """
            [ {
                "benchmark" : "dev.batchmesh.bench.jmh.MicroBatchCodecBenchmark.binaryDecode",
                "mode" : "thrpt",
                "params" : { "keyDistribution" : "zipf:1.1", "keys" : "300", "records" : "1000" },
                "primaryMetric" : { "score" : 3272.5, "scoreError" : 120.0, "scoreUnit" : "ops/s" }
            }, {
                "benchmark" : "dev.batchmesh.bench.jmh.PartialMergeBenchmark.mergeExact",
                "mode" : "thrpt",
                "params" : { "sketchK" : "200" },
                "primaryMetric" : { "score" : 930.0, "scoreError" : "NaN", "scoreUnit" : "ops/ms" }
            } ]
            """;

    @Test
    void shouldReportRecordsPerSecondForBatchBenchmarksOnly() {
        List<ResultSummary.Row> rows = ResultSummary.rows(JsonMapper.builder().build().readTree(JMH_RESULT));

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).benchmark()).isEqualTo("MicroBatchCodecBenchmark.binaryDecode");
        assertThat(rows.get(0).opsPerSecond()).isEqualTo(3272.5);
        assertThat(rows.get(0).recordsPerSecond()).isEqualTo(3_272_500.0);
        assertThat(rows.get(1).opsPerSecond()).isEqualTo(930_000.0);
        assertThat(rows.get(1).opsPerSecondError()).isZero();
        assertThat(rows.get(1).recordsPerSecond()).isNull();
    }
}
