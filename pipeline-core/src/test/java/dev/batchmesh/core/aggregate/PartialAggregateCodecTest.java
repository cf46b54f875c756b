package dev.batchmesh.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.batchmesh.core.codec.MalformedDataException;
import dev.batchmesh.core.testing.ExactStatistics;
import dev.batchmesh.core.testing.ValueShapes;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartialAggregateCodecTest {

    private static final int K = PartialAggregate.DEFAULT_SKETCH_K;

    @ParameterizedTest(name = "{0} values")
    @ValueSource(ints = {0, 1, 2, 17, 200, 201, 5_000, 100_000})
    void shouldRoundTripEveryForm(int n) {
        SplittableRandom r = new SplittableRandom(n);
        double[] values = ValueShapes.LATENCY_MS.sample(r, n);
        PartialAggregate original = PartialAggregate.of(K, values);

        PartialAggregate decoded = PartialAggregateCodec.decode(PartialAggregateCodec.encode(original));

        assertThat(decoded.count()).isEqualTo(original.count());
        assertThat(decoded.min()).isEqualTo(original.min());
        assertThat(decoded.max()).isEqualTo(original.max());
        assertThat(decoded.sketchK()).isEqualTo(K);
        if (n > 0) {
            double meanAbs = new ExactStatistics(values).meanAbs();
            assertThat(ExactStatistics.close(original.sum(), decoded.sum(), 1e-12, meanAbs)).isTrue();
            assertThat(ExactStatistics.close(original.mean(), decoded.mean(), 1e-12, meanAbs)).isTrue();
            for (double q : new double[] {0.5, 0.9, 0.99}) {
                assertThat(decoded.quantile(q)).isEqualTo(original.quantile(q));
            }
        }
        if (n > 1) {
            assertThat(ExactStatistics.close(original.sampleStddev(), decoded.sampleStddev(), 1e-12, 1e-300)).isTrue();
        }
    }

    @Test
    void shouldKeepSmallPartialsSmall() {
        assertThat(PartialAggregateCodec.encode(PartialAggregate.of(K, 42.0))).hasSizeLessThanOrEqualTo(11);
        assertThat(PartialAggregateCodec.encode(PartialAggregate.of(K, 1, 2, 3, 4, 5))).hasSizeLessThanOrEqualTo(4 + 5 * 8);
    }

    @Test
    void shouldRejectCorruptBytesWithMalformedDataExceptionOnly() {
        SplittableRandom r = new SplittableRandom(7);
        byte[][] samples = {
            PartialAggregateCodec.encode(PartialAggregate.of(K, 3.0)),
            PartialAggregateCodec.encode(PartialAggregate.of(K, ValueShapes.TEMPERATURE.sample(r, 50))),
            PartialAggregateCodec.encode(PartialAggregate.of(K, ValueShapes.TEMPERATURE.sample(r, 3_000))),
        };
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = samples[round % samples.length].clone();
            int mutations = 1 + r.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
            }
            byte[] input = r.nextInt(4) == 0 ? java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length)) : bytes;
            Throwable thrown = catchThrowable(() -> PartialAggregateCodec.decode(input));
            assertThat(thrown).as("round %d", round).satisfiesAnyOf(
                    t -> assertThat(t).isNull(),
                    t -> assertThat(t).isInstanceOf(MalformedDataException.class));
        }
    }

    @Test
    void shouldRejectUnknownForm() {
        assertThatThrownBy(() -> PartialAggregateCodec.decode(new byte[] {9, 100}))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("form");
    }
}
