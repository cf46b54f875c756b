package dev.batchmesh.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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
            counter.accept(ByteBuffer.wrap(new byte[] {b}));
        }
        assertThat(counter.records()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void shouldCountTheSameFromHeapAndDirectBuffers(String what, String body, long expected) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        RecordCounter fromHeap = new RecordCounter();
        RecordCounter fromDirect = new RecordCounter();

        fromHeap.accept(ByteBuffer.wrap(bytes));
        fromDirect.accept(direct);

        assertThat(fromHeap.records()).isEqualTo(expected);
        assertThat(fromDirect.records()).isEqualTo(expected);
        assertThat(direct.position()).as("the buffer is left as it was").isZero();
    }

    @Test
    void shouldCountAnyChunkingOfABodyLikeItsBytesOneByOne() {
        SplittableRandom random = new SplittableRandom(11);
        String alphabet = "{}[]\"\\\n ,:ab1";
        for (int round = 0; round < 2_000; round++) {
            byte[] body = new byte[random.nextInt(0, 20_000)];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            RecordCounter oneByOne = new RecordCounter();
            for (byte b : body) {
                oneByOne.accept(ByteBuffer.wrap(new byte[] {b}));
            }
            RecordCounter chunked = new RecordCounter();
            for (int at = 0; at < body.length; ) {
                int n = Math.min(body.length - at, random.nextInt(1, 12_000));
                ByteBuffer chunk = random.nextBoolean()
                        ? ByteBuffer.wrap(body, at, n).slice()
                        : ByteBuffer.allocateDirect(n).put(body, at, n).flip().asReadOnlyBuffer();
                chunked.accept(chunk);
                at += n;
            }
            assertThat(chunked.records()).as("round %d", round).isEqualTo(oneByOne.records());
        }
    }

    @Test
    void shouldCountEveryRecordOfRandomValidBodiesWhateverTheirStringsHold() {
        SplittableRandom random = new SplittableRandom(17);
        // string contents: brackets, braces, escaped quotes and backslashes, two-byte UTF-8
        String[] pieces = {"a", "{", "}", "[", "]", "\\\"", "\\\\", "é", ",", ":", " ", "\\n"};
        for (int round = 0; round < 2_000; round++) {
            int records = random.nextInt(0, 60);
            boolean ndjson = random.nextBoolean();
            StringBuilder body = new StringBuilder(ndjson ? "" : "[");
            for (int r = 0; r < records; r++) {
                if (!ndjson && r > 0) {
                    body.append(',');
                }
                body.append("{\"key\":\"").append(randomString(random, pieces)).append("\",\"value\":").append(random.nextInt())
                        .append(",\"x\":{\"y\":[{\"z\":\"").append(randomString(random, pieces)).append("\"}, []]}}")
                        .append(ndjson ? "\n" : "");
            }
            body.append(ndjson ? "" : "]");
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            RecordCounter counter = new RecordCounter();
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, random.nextInt(1, 200));
                counter.accept(ByteBuffer.wrap(bytes, at, n).slice());
                at += n;
            }
            assertThat(counter.records()).as("round %d: %s", round, body).isEqualTo(records);
        }
    }

    private static String randomString(SplittableRandom random, String[] pieces) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(0, 12); n > 0; n--) {
            s.append(pieces[random.nextInt(pieces.length)]);
        }
        return s.toString();
    }
}
