package dev.batchmesh.core.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordRulesTest {

    /** The rule as the API documents it; the code checks it without a regex. */
    private static final Pattern DOCUMENTED = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ONLY_DOTS = Pattern.compile("\\.+");
    private static final String ALPHABET = "aZ09._-.:/ é\u0000";

    @ParameterizedTest
    @ValueSource(strings = {"a", "cpu.load", "A_b-9", "..a", ".hidden"})
    void acceptsNamesOfLettersDigitsDotsUnderscoresAndDashes(String name) {
        assertThat(RecordRules.isValidStream(name)).isTrue();
        assertThat(RecordRules.isValidStream("x".repeat(64))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "...", "a b", "a/b", "é", "a:b", "tab\t"})
    void rejectsEmptyOnlyDotsAndOtherCharacters(String name) {
        assertThat(RecordRules.isValidStream(name)).isFalse();
    }

    @Test
    void rejectsNamesLongerThanSixtyFourCharactersAndNull() {
        assertThat(RecordRules.isValidStream("x".repeat(65))).isFalse();
        assertThat(RecordRules.isValidStream(null)).isFalse();
    }

    @Test
    void agreesWithTheDocumentedPatternOnRandomNames() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            int length = random.nextInt(0, 70);
            StringBuilder name = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                // mostly dots now and then, so only-dots names come up often enough
                name.append(random.nextInt(4) == 0 ? '.' : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String s = name.toString();
            boolean documented = DOCUMENTED.matcher(s).matches() && !ONLY_DOTS.matcher(s).matches();
            assertThat(RecordRules.isValidStream(s)).as("'%s'", s).isEqualTo(documented);
        }
    }

    @Test
    void judgesAKeysLengthByItsUtf8BytesOnRandomKeys() {
        // one, two, three and four bytes of UTF-8 (the last a surrogate pair)
        String[] characters = {"k", "é", "€", "\uD83D\uDE00"};
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder key = new StringBuilder();
            for (int n = random.nextInt(1, 100); n > 0; n--) {
                key.append(characters[random.nextInt(characters.length)]);
            }
            String k = key.toString();
            int utf8 = k.getBytes(StandardCharsets.UTF_8).length;
            String violation = RecordRules.keyViolation(k);
            if (utf8 <= RecordRules.MAX_KEY_BYTES) {
                assertThat(violation).as("%d bytes", utf8).isNull();
            } else {
                assertThat(violation).isEqualTo("key is " + utf8 + " bytes of UTF-8, more than 256");
            }
        }
    }
}
