package dev.batchmesh.batcher.batching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyIndexTest {

    @Test
    void numbersKeysInFirstAppearanceOrderLikeAMapOnRandomKeys() {
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 200; round++) {
            KeyIndex index = new KeyIndex(random.nextInt(1, 40));
            Map<String, Integer> expected = new HashMap<>();
            int distinct = random.nextInt(1, 3_000);
            for (int i = 0; i < 5_000; i++) {
                // new String: equal keys arrive as different instances, as they do from the parser
                String key = new String("sensor-" + random.nextInt(distinct));
                int id = index.idOf(key);
                assertThat(id).isEqualTo(expected.computeIfAbsent(key, k -> expected.size()));
                assertThat(index.key(id)).isEqualTo(key);
            }
            assertThat(index.size()).isEqualTo(expected.size());
            expected.forEach((key, id) -> assertThat(index.find(new String(key))).isEqualTo(id));
            assertThat(index.find("not-" + round)).isEqualTo(-1);
        }
    }

    @Test
    void keepsKeysWithTheSameHashCodeApart() {
        // "Aa" and "BB" share a hash code, and so does every string made of them of the same length
        KeyIndex index = new KeyIndex(4);
        String[] colliding = new String[256];
        for (int i = 0; i < colliding.length; i++) {
            StringBuilder key = new StringBuilder();
            for (int bit = 0; bit < 8; bit++) {
                key.append((i >> bit & 1) == 0 ? "Aa" : "BB");
            }
            colliding[i] = key.toString();
        }
        assertThat(colliding[0].hashCode()).isEqualTo(colliding[255].hashCode());

        for (int i = 0; i < colliding.length; i++) {
            assertThat(index.idOf(colliding[i])).isEqualTo(i);
        }
        for (int i = 0; i < colliding.length; i++) {
            assertThat(index.find(colliding[i])).isEqualTo(i);
            assertThat(index.idOf(colliding[i])).isEqualTo(i);
        }
        assertThat(index.size()).isEqualTo(256);
    }
}
