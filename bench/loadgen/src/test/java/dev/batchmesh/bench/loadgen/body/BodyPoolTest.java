package dev.batchmesh.bench.loadgen.body;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.bench.workload.Arguments;
import dev.batchmesh.bench.workload.WorkloadGenerator;
import dev.batchmesh.bench.workload.WorkloadRecord;
import dev.batchmesh.bench.workload.WorkloadSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BodyPoolTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final WorkloadSpec SPEC = WorkloadSpec.from(Arguments.parse("--keys", "50", "--key-distribution", "zipf",
            "--events-per-second", "1000", "--jitter-ms", "40"));

    private static List<JsonNode> parse(byte[] body, BodyFormat format) {
        String text = new String(body, StandardCharsets.UTF_8);
        List<JsonNode> records = new ArrayList<>();
        if (format == BodyFormat.JSON) {
            JSON.readTree(text).forEach(records::add);
        } else {
            assertThat(text).endsWith("\n");
            for (String line : text.split("\n")) {
                records.add(JSON.readTree(line));
            }
        }
        return records;
    }

    @Test
    void shouldEncodeTheWorkloadsRecordsInOrderInBothFormats() {
        for (BodyFormat format : BodyFormat.values()) {
            BodyPool pool = BodyPool.encode(SPEC, format, TimestampMode.WORKLOAD, 100, 3);
            WorkloadGenerator expected = new WorkloadGenerator(SPEC);

            for (int b = 0; b < 3; b++) {
                List<JsonNode> records = parse(pool.next(0), format);
                assertThat(records).hasSize(100);
                for (JsonNode record : records) {
                    WorkloadRecord want = expected.next();
                    assertThat(record.get("key").asString()).isEqualTo(want.key());
                    assertThat(record.get("value").asDouble()).isEqualTo(want.value());
                    assertThat(record.get("ts").asLong()).isEqualTo(want.timestampMillis());
                }
            }
        }
    }

    @Test
    void shouldMoveEveryTimeOfALiveBodyToTheSendTimeKeepingItsSpacingAndJitter() {
        BodyPool pool = BodyPool.encode(SPEC, BodyFormat.NDJSON, TimestampMode.LIVE, 200, 2);
        WorkloadGenerator expected = new WorkloadGenerator(SPEC);
        long sendMillis = 1_795_000_000_123L;

        pool.next(sendMillis);
        for (int i = 0; i < 200; i++) {
            expected.next();
        }
        List<JsonNode> second = parse(pool.next(sendMillis), BodyFormat.NDJSON);

        long firstNominal = SPEC.timestamps().nominalMillis(200);
        for (JsonNode record : second) {
            WorkloadRecord want = expected.next();
            assertThat(record.get("ts").asLong()).isEqualTo(sendMillis + want.timestampMillis() - firstNominal);
            assertThat(record.get("key").asString()).isEqualTo(want.key());
        }
    }

    @Test
    void shouldLeaveTheTemplateUntouchedWhenRebasing() {
        BodyPool pool = BodyPool.encode(SPEC, BodyFormat.JSON, TimestampMode.LIVE, 10, 1);

        String a = new String(pool.next(1_795_000_000_000L), StandardCharsets.UTF_8);
        String b = new String(pool.next(1_800_000_000_000L), StandardCharsets.UTF_8);

        assertThat(a).contains("\"ts\":17950000").doesNotContain("\"ts\":18000000");
        assertThat(b).contains("\"ts\":18000000").doesNotContain("\"ts\":17950000");
    }
}
