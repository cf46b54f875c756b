package dev.batchmesh.core.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class SeriesKeyTest {

    @Test
    void shouldRoundTripThroughBytes() {
        SeriesKey key = new SeriesKey("acme", "checkout.latency", "eu-west/päy ✓");
        assertThat(SeriesKey.fromBytes(key.toBytes())).isEqualTo(key);
    }

    @Test
    void shouldShareTheStreamPrefixAndNotTheNeighboursPrefix() {
        byte[] prefix = SeriesKey.streamPrefix("acme", "s");
        byte[] bytes = new SeriesKey("acme", "s", "k").toBytes();
        byte[] other = new SeriesKey("acme", "s2", "k").toBytes();

        assertThat(Arrays.copyOf(bytes, prefix.length)).isEqualTo(prefix);
        assertThat(Arrays.copyOf(other, prefix.length)).isNotEqualTo(prefix);
    }

    @Test
    void shouldAgreeWithKafkasKeyPartitioner() {
        for (int i = 0; i < 1_000; i++) {
            SeriesKey key = new SeriesKey("t", "s", "key-" + i);
            assertThat(key.partition(12)).isEqualTo(BuiltInPartitioner.partitionForKey(key.toBytes(), 12));
        }
    }

    @Test
    void shouldRejectInvalidNames() {
        assertThatThrownBy(() -> new SeriesKey("t", "a/b", "k")).hasMessageContaining("stream");
        assertThatThrownBy(() -> new SeriesKey("t", "..", "k")).hasMessageContaining("only dots");
        assertThatThrownBy(() -> new SeriesKey(".", "s", "k")).hasMessageContaining("only dots");
        assertThatThrownBy(() -> new SeriesKey("t", "s", "")).hasMessageContaining("empty");
        assertThatThrownBy(() -> new SeriesKey("t", "s", "a\u0007b")).hasMessageContaining("control character");
        assertThatThrownBy(() -> new SeriesKey("t", "s", "x".repeat(257))).hasMessageContaining("257 bytes");
        assertThatThrownBy(() -> new SeriesKey("t", "s", "\uD800")).hasMessageContaining("surrogate");
    }
}
