package dev.batchmesh.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.bench.workload.WorkloadRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JsonRecordsTest {

    @ParameterizedTest
    @EnumSource(JsonRecords.Format.class)
    void shouldReadBackEveryRecordItWrote(JsonRecords.Format format) {
        List<WorkloadRecord> records = BatchFixture.of(500, 50, "zipf:1.1", 3).records();

        JsonRecords.Columns columns = JsonRecords.decode(JsonRecords.encode(records, format), format);

        assertThat(columns.keys()).containsExactly(records.stream().map(WorkloadRecord::key).toArray(String[]::new));
        assertThat(columns.values()).containsExactly(records.stream().mapToDouble(WorkloadRecord::value).toArray());
        assertThat(columns.timestamps()).containsExactly(records.stream().mapToLong(WorkloadRecord::timestampMillis).toArray());
    }

    @ParameterizedTest
    @EnumSource(JsonRecords.Format.class)
    void shouldWriteTheIngestApisFieldNames(JsonRecords.Format format) {
        List<WorkloadRecord> records = List.of(new WorkloadRecord(0, "checkout", 12.5, 1_767_225_600_000L),
                new WorkloadRecord(1, "search", 3.25, 1_767_225_600_001L));

        String body = new String(JsonRecords.encode(records, format), StandardCharsets.UTF_8);

        String first = "{\"key\":\"checkout\",\"value\":12.5,\"ts\":1767225600000}";
        String second = "{\"key\":\"search\",\"value\":3.25,\"ts\":1767225600001}";
        assertThat(body).isEqualTo(format == JsonRecords.Format.ARRAY ? "[" + first + "," + second + "]" : first + "\n" + second);
    }
}
