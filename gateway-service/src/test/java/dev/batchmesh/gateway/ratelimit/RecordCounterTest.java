package dev.batchmesh.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordCounterTest {

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("json array", "[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2}]", 2),
                Arguments.of("ndjson", "{\"key\":\"a\",\"value\":1}\n{\"key\":\"b\",\"value\":2}\n{\"key\":\"c\",\"value\":3}\n", 3),
                Arguments.of("braces, brackets and escaped quotes in strings", "[{\"key\":\"{[}]\\\"{\",\"value\":1}]", 1),
                Arguments.of("nested objects are not records", "[{\"key\":\"a\",\"value\":1,\"x\":{\"y\":{}}}]", 1),
                Arguments.of("empty array", "[]", 0),
                Arguments.of("leading whitespace", "  \n [{}, {}]", 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void shouldCountTopLevelRecords(String what, String body, long expected) {
        RecordCounter counter = new RecordCounter();
        for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
            counter.accept(b);
        }
        assertThat(counter.records()).isEqualTo(expected);
    }
}
