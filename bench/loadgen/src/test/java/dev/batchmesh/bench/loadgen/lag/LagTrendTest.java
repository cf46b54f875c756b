package dev.batchmesh.bench.loadgen.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LagTrendTest {

    /** A topic produced at {@code produced} messages/s, sampled once a second, with a lag of {@code lag.apply(second)}. */
    private static List<LagSample> samples(int seconds, long produced, java.util.function.IntToLongFunction lag) {
        List<LagSample> out = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            out.add(new LagSample(1_000_000 + s * 1000L, lag.applyAsLong(s), s * produced));
        }
        return out;
    }

    @Test
    void shouldSeeAConsumerThatFallsFurtherBehindEverySecondAsGrowing() {
        List<LagSample> falling = samples(15, 100, s -> 30L * s);

        assertThat(LagTrend.DEFAULT.growing(falling)).isTrue();
        assertThat(LagTrend.slope(falling)).isEqualTo(30.0);
    }

    @Test
    void shouldNotSeeTheSawtoothOfAConsumerThatKeepsUpAsGrowing() {
        SplittableRandom random = new SplittableRandom(7);
        List<LagSample> keepingUp = samples(15, 100, s -> random.nextLong(0, 120));

        assertThat(LagTrend.DEFAULT.growing(keepingUp)).isFalse();
    }

    @Test
    void shouldNotSeeASmallBacklogThatCreepsUpAsGrowing() {
        // slope above 5 % of production, but the final backlog is under 2 s of it
        List<LagSample> creeping = samples(15, 100, s -> 10L * s);

        assertThat(LagTrend.DEFAULT.growing(creeping)).isFalse();
    }

    @Test
    void shouldNotJudgeFromTooFewSamples() {
        assertThat(LagTrend.DEFAULT.growing(samples(2, 100, s -> 1000L * s))).isFalse();
    }

    @Test
    void shouldSeeABacklogThatBuildsWhileNothingIsProducedAsSteady() {
        assertThat(LagTrend.DEFAULT.growing(samples(10, 0, s -> 5))).isFalse();
    }
}
