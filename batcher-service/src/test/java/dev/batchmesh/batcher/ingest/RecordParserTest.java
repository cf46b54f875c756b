package dev.batchmesh.batcher.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.core.series.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpStatus;

/** The catalogue of the v1 record contract: every rule, its status, problem type and per-record report. */
class RecordParserTest {

    /** Arrival 10:05:03 with 10 s windows and 5 min grace: the oldest open window starts at 10:00:00. */
    private static final long ARRIVAL = Instant.parse("2026-11-22T10:05:03Z").toEpochMilli();
    private static final long OLDEST_OPEN = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
    private static final String LONG_KEY_257 = "k".repeat(257);
    private static final String KEY_256_BYTES = "é".repeat(128);

    private final RecordParser parser = new RecordParser(10_000, WindowSpec.DEFAULT, Duration.ofMinutes(5), Duration.ofMinutes(1));

    static Stream<Arguments> invalidRecords() {
        return Stream.of(
                Arguments.of("key missing", "{\"value\":1}", "key is missing"),
                Arguments.of("key empty", "{\"key\":\"\",\"value\":1}", "key is empty"),
                Arguments.of("key a number", "{\"key\":5,\"value\":1}", "key must be a string"),
                Arguments.of("key null", "{\"key\":null,\"value\":1}", "key must be a string"),
                Arguments.of("key an object", "{\"key\":{\"a\":1},\"value\":1}", "key must be a string"),
                Arguments.of("key with a control character", "{\"key\":\"a\\u0007b\",\"value\":1}", "control character U+0007"),
                Arguments.of("key with a newline", "{\"key\":\"a\\nb\",\"value\":1}", "control character U+000A"),
                Arguments.of("key with an unpaired surrogate", "{\"key\":\"a\\ud800\",\"value\":1}", "not valid UTF-8"),
                Arguments.of("key over 256 bytes", "{\"key\":\"" + LONG_KEY_257 + "\",\"value\":1}", "257 bytes of UTF-8"),
                Arguments.of("key over 256 bytes in multi-byte characters", "{\"key\":\"" + KEY_256_BYTES + "é\",\"value\":1}", "258 bytes"),
                Arguments.of("value missing", "{\"key\":\"a\"}", "value is missing"),
                Arguments.of("value a string", "{\"key\":\"a\",\"value\":\"1\"}", "value must be a number"),
                Arguments.of("value null", "{\"key\":\"a\",\"value\":null}", "value must be a number"),
                Arguments.of("value a boolean", "{\"key\":\"a\",\"value\":true}", "value must be a number"),
                Arguments.of("value an array", "{\"key\":\"a\",\"value\":[1]}", "value must be a number"),
                Arguments.of("value NaN literal", "{\"key\":\"a\",\"value\":NaN}", "finite number, was NaN"),
                Arguments.of("value Infinity literal", "{\"key\":\"a\",\"value\":Infinity}", "finite number, was Infinity"),
                Arguments.of("value -Infinity literal", "{\"key\":\"a\",\"value\":-Infinity}", "finite number, was -Infinity"),
                Arguments.of("value 1e400", "{\"key\":\"a\",\"value\":1e400}", "outside the range of a double"),
                Arguments.of("value -1e400", "{\"key\":\"a\",\"value\":-1e400}", "outside the range of a double"),
                Arguments.of("duplicate key field", "{\"key\":\"a\",\"value\":1,\"key\":\"b\"}", "duplicate field \"key\""),
                Arguments.of("duplicate value field", "{\"key\":\"a\",\"value\":1,\"value\":2}", "duplicate field \"value\""),
                Arguments.of("duplicate ts field", "{\"key\":\"a\",\"value\":1,\"ts\":1,\"ts\":2}", "duplicate field \"ts\""),
                Arguments.of("unknown field", "{\"key\":\"a\",\"value\":1,\"unit\":\"ms\"}", "unknown field \"unit\""),
                Arguments.of("unknown field holding an object", "{\"key\":\"a\",\"extra\":{\"x\":[1,2]},\"value\":1}", "unknown field \"extra\""),
                Arguments.of("ts a fraction", "{\"key\":\"a\",\"value\":1,\"ts\":1.5}", "ts must be an integer"),
                Arguments.of("ts a boolean", "{\"key\":\"a\",\"value\":1,\"ts\":true}", "ts must be an integer"),
                Arguments.of("ts beyond a long", "{\"key\":\"a\",\"value\":1,\"ts\":99999999999999999999}", "ts is out of range"),
                Arguments.of("ts not a date", "{\"key\":\"a\",\"value\":1,\"ts\":\"yesterday\"}", "RFC 3339"),
                Arguments.of("ts without offset", "{\"key\":\"a\",\"value\":1,\"ts\":\"2026-11-22T10:05:00\"}", "RFC 3339"),
                Arguments.of("ts without seconds", "{\"key\":\"a\",\"value\":1,\"ts\":\"2026-11-22T10:05Z\"}", "RFC 3339"),
                Arguments.of("ts older than the grace period", "{\"key\":\"a\",\"value\":1,\"ts\":" + (OLDEST_OPEN - 1) + "}", "too old"),
                Arguments.of("ts as RFC 3339 older than the grace period", "{\"key\":\"a\",\"value\":1,\"ts\":\"2026-11-22T09:59:59.999Z\"}", "too old"),
                Arguments.of("ts far in the past", "{\"key\":\"a\",\"value\":1,\"ts\":" + Long.MIN_VALUE + "}", "too old"),
                Arguments.of("ts too far ahead", "{\"key\":\"a\",\"value\":1,\"ts\":" + (ARRIVAL + 60_001) + "}", "ahead of the arrival time"),
                Arguments.of("ts at the end of time", "{\"key\":\"a\",\"value\":1,\"ts\":" + Long.MAX_VALUE + "}", "ahead of the arrival time"),
                Arguments.of("record not an object", "42", "record must be a JSON object"),
                Arguments.of("record an array", "[{\"key\":\"a\",\"value\":1}]", "record must be a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    void shouldRejectTheRequestWithTheRecordIndexWhenOneRecordBreaksARule(String rule, String badRecord, String reason) {
        String body = "[{\"key\":\"ok\",\"value\":1}," + badRecord + ",{\"key\":\"ok\",\"value\":2}]";

        IngestRejectedException e = reject(body, RecordFormat.JSON_ARRAY);

        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.type()).isEqualTo(ProblemTypes.INVALID_RECORDS);
        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.index()).isEqualTo(1);
            assertThat(error.reason()).contains(reason);
        });
        assertThat(e.getMessage()).contains("1 of 3 records are invalid");
        assertThat(e.records()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    void shouldReportTheSameRuleForNdjsonLines(String rule, String badRecord, String reason) {
        String body = "{\"key\":\"ok\",\"value\":1}\n\n" + badRecord + "\n";

        IngestRejectedException e = reject(body, RecordFormat.NDJSON);

        assertThat(e.type()).isEqualTo(ProblemTypes.INVALID_RECORDS);
        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.index()).as("index counts records, not lines").isEqualTo(1);
            assertThat(error.reason()).contains(reason);
        });
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("unterminated array", RecordFormat.JSON_ARRAY, "[{\"key\":\"a\",\"value\":1}", "line 1"),
                Arguments.of("missing comma", RecordFormat.JSON_ARRAY, "[\n{\"key\":\"a\" \"value\":1}]", "line 2, column 12"),
                Arguments.of("an object instead of an array", RecordFormat.JSON_ARRAY, "{\"key\":\"a\",\"value\":1}", "expected a JSON array"),
                Arguments.of("content after the array", RecordFormat.JSON_ARRAY, "[{\"key\":\"a\",\"value\":1}] []", "after the array"),
                Arguments.of("a bare word", RecordFormat.JSON_ARRAY, "[{\"key\":\"a\",\"value\":one}]", "line 1"),
                Arguments.of("single quotes", RecordFormat.JSON_ARRAY, "[{'key':'a','value':1}]", "line 1"),
                Arguments.of("a truncated NDJSON line", RecordFormat.NDJSON, "{\"key\":\"a\",\"value\":1}\n{\"key\":\"b\",\n", "malformed NDJSON"),
                Arguments.of("a garbled NDJSON line", RecordFormat.NDJSON, "{\"key\":\"a\",\"value\":1}\n{key:b}\n", "line 2"),
                Arguments.of("two records on one NDJSON line", RecordFormat.NDJSON, "{\"key\":\"a\",\"value\":1} {\"key\":\"b\",\"value\":2}\n", "more than one record on line 1"),
                Arguments.of("a record across NDJSON lines", RecordFormat.NDJSON, "{\"key\":\"a\",\n\"value\":1}\n", "spans several lines"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void shouldRejectAMalformedBodyWithItsLocation(String description, RecordFormat format, String body, String detail) {
        IngestRejectedException e = reject(body, format);

        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.type()).isEqualTo(ProblemTypes.MALFORMED_BODY);
        assertThat(e.getMessage()).contains(detail);
        assertThat(e.errors()).isEmpty();
    }

    @Test
    void shouldRejectInvalidUtf8AsMalformed() {
        byte[] body = {'[', '{', '"', 'k', 'e', 'y', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', ']'};

        IngestRejectedException e = catchThrowableOfType(IngestRejectedException.class,
                () -> parser.parse(body, body.length, RecordFormat.JSON_ARRAY, ARRIVAL));

        assertThat(e.type()).isEqualTo(ProblemTypes.MALFORMED_BODY);
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @MethodSource("emptyBodies")
    void shouldRejectABodyWithoutRecords(RecordFormat format, String body) {
        IngestRejectedException e = reject(body, format);

        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.type()).isEqualTo(ProblemTypes.INVALID_RECORDS);
        assertThat(e.getMessage()).contains("no records");
    }

    static Stream<Arguments> emptyBodies() {
        return Stream.of(
                Arguments.of(RecordFormat.JSON_ARRAY, ""),
                Arguments.of(RecordFormat.JSON_ARRAY, "  \n "),
                Arguments.of(RecordFormat.JSON_ARRAY, "[]"),
                Arguments.of(RecordFormat.NDJSON, ""),
                Arguments.of(RecordFormat.NDJSON, "\n\n  \r\n"));
    }

    @Test
    void shouldRejectMoreRecordsThanTheLimitAsTooLarge() {
        RecordParser limited = new RecordParser(3, WindowSpec.DEFAULT, Duration.ofMinutes(5), Duration.ofMinutes(1));
        byte[] body = "[{\"key\":\"a\",\"value\":1},{\"key\":\"a\",\"value\":1},{\"key\":\"a\",\"value\":1},{\"key\":\"a\",\"value\":1}]"
                .getBytes(StandardCharsets.UTF_8);

        IngestRejectedException e = catchThrowableOfType(IngestRejectedException.class,
                () -> limited.parse(body, body.length, RecordFormat.JSON_ARRAY, ARRIVAL));

        assertThat(e.status()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE);
        assertThat(e.type()).isEqualTo(ProblemTypes.PAYLOAD_TOO_LARGE);
        byte[] three = "[{\"key\":\"a\",\"value\":1},{\"key\":\"a\",\"value\":1},{\"key\":\"a\",\"value\":1}]".getBytes(StandardCharsets.UTF_8);
        assertThat(limited.parse(three, three.length, RecordFormat.JSON_ARRAY, ARRIVAL).size()).isEqualTo(3);
    }

    @Test
    void shouldListOnlyTheFirstHundredBadRecordsButCountThemAll() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 300; i++) {
            body.append(i == 0 ? "" : ",").append(i % 2 == 0 ? "{\"key\":\"a\",\"value\":1}" : "{\"key\":\"\",\"value\":1}");
        }
        body.append(']');

        IngestRejectedException e = reject(body.toString(), RecordFormat.JSON_ARRAY);

        assertThat(e.errors()).hasSize(RecordParser.MAX_REPORTED_ERRORS);
        assertThat(e.errors().get(0).index()).isEqualTo(1);
        assertThat(e.errors().get(99).index()).isEqualTo(199);
        assertThat(e.getMessage()).contains("150 of 300 records are invalid").contains("first 100");
    }

    @Test
    void shouldReportEveryBadRecordWithItsOwnIndexAndFirstProblem() {
        String body = """
                [{"key":"a","value":"x","ts":"bad"},
                 {"key":"b","value":2},
                 {"value":3,"color":"red"},
                 {"key":"d","value":4,"ts":1.5}]""";

        IngestRejectedException e = reject(body, RecordFormat.JSON_ARRAY);

        assertThat(e.errors()).extracting(RecordError::index).containsExactly(0, 2, 3);
        assertThat(e.errors()).extracting(RecordError::reason)
                .containsExactly("value must be a number", "unknown field \"color\"", "ts must be an integer of epoch milliseconds or an RFC 3339 string");
    }

    @Test
    void shouldParseValidRecordsIntoColumnsInRequestOrder() {
        String body = """
                [{"key":"cpu","value":1.5,"ts":%d},
                 {"ts":"2026-11-22T10:05:01.250Z","value":-2,"key":"mem"},
                 {"key":"cpu","value":12345678901234567890},
                 {"key":"disk","value":3e2,"ts":"2026-11-22t11:05:02+01:00"},
                 {"key":"%s","value":0,"ts":"2026-11-22T10:00:00.000000001Z"}]"""
                .formatted(OLDEST_OPEN, KEY_256_BYTES);

        ParsedRecords records = parse(body, RecordFormat.JSON_ARRAY);

        assertThat(records.size()).isEqualTo(5);
        assertThat(records.keys()).startsWith("cpu", "mem", "cpu", "disk", KEY_256_BYTES);
        assertThat(records.timestamps()).startsWith(OLDEST_OPEN, ARRIVAL - 1750, ARRIVAL, ARRIVAL - 1000, OLDEST_OPEN);
        assertThat(records.values()).startsWith(1.5, -2.0, 12345678901234567890.0, 300.0, 0.0);
    }

    @Test
    void shouldAcceptTimestampsUpToTheFutureSkew() {
        ParsedRecords records = parse("{\"key\":\"a\",\"value\":1,\"ts\":" + (ARRIVAL + 60_000) + "}\n", RecordFormat.NDJSON);

        assertThat(records.timestamps()[0]).isEqualTo(ARRIVAL + 60_000);
    }

    @Test
    void shouldIgnoreBlankNdjsonLinesAndCarriageReturns() {
        ParsedRecords records = parse("\n{\"key\":\"a\",\"value\":1}\r\n\r\n   \n{\"key\":\"b\",\"value\":2}", RecordFormat.NDJSON);

        assertThat(records.size()).isEqualTo(2);
        assertThat(records.keys()).startsWith("a", "b");
    }

    @Test
    void shouldAcceptAsManyRecordsAsTheLimit() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            body.append("{\"key\":\"k").append(i % 50).append("\",\"value\":").append(i).append("}\n");
        }

        ParsedRecords records = parse(body.toString(), RecordFormat.NDJSON);

        assertThat(records.size()).isEqualTo(10_000);
        assertThat(records.values()[9_999]).isEqualTo(9_999.0);
        assertThatThrownBy(() -> parse(body + "{\"key\":\"x\",\"value\":1}", RecordFormat.NDJSON))
                .isInstanceOfSatisfying(IngestRejectedException.class, e -> assertThat(e.type()).isEqualTo(ProblemTypes.PAYLOAD_TOO_LARGE));
    }

    private ParsedRecords parse(String body, RecordFormat format) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return parser.parse(bytes, bytes.length, format, ARRIVAL);
    }

    private IngestRejectedException reject(String body, RecordFormat format) {
        IngestRejectedException e = catchThrowableOfType(IngestRejectedException.class, () -> parse(body, format));
        assertThat(e).as("rejection of %s", body.length() > 200 ? body.substring(0, 200) : body).isNotNull();
        return e;
    }
}
