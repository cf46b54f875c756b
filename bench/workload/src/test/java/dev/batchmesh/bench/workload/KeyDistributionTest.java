package dev.batchmesh.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyDistributionTest {

    private static final int SAMPLES = 400_000;

    private static long[] histogram(KeyDistribution distribution, long seed) {
        long[] counts = new long[distribution.keys()];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < SAMPLES; i++) {
            counts[distribution.nextRank(random)]++;
        }
        return counts;
    }

    @ParameterizedTest(name = "exponent {0}")
    @ValueSource(doubles = {0.8, 1.0, 1.3})
    void shouldFollowAPowerLawWhoseLogLogSlopeIsMinusTheExponent(double exponent) {
        KeyDistribution zipf = KeyDistribution.parse("zipf:" + exponent, 500);
        long[] counts = histogram(zipf, 7);

        // least-squares slope of log(frequency) against log(rank + 1) over the 30 hottest keys,
        // where every rank is sampled thousands of times
        int n = 30;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int r = 0; r < n; r++) {
            double x = Math.log(r + 1);
            double y = Math.log(counts[r]);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);

        assertThat(slope).isCloseTo(-exponent, within(0.05));
        assertThat((double) counts[0] / SAMPLES).isCloseTo(zipf.share(0), within(0.005));
    }

    @Test
    void shouldGiveTheHottestZipfKeyFarMoreRecordsThanAUniformKey() {
        long[] zipf = histogram(KeyDistribution.parse("zipf:1.1", 1000), 11);
        long[] uniform = histogram(KeyDistribution.parse("uniform", 1000), 11);

        assertThat(zipf[0]).isGreaterThan(50L * uniform[0]);
        assertThat(zipf[999]).isLessThan(uniform[999] / 5);
    }

    @Test
    void shouldSpreadUniformKeysEvenly() {
        long[] counts = histogram(KeyDistribution.parse("uniform", 100), 3);

        double expected = (double) SAMPLES / 100;
        for (long c : counts) {
            // 4000 expected per key, standard deviation about 63: 10% is more than six deviations
            assertThat((double) c).isCloseTo(expected, within(expected * 0.1));
        }
    }

    @Test
    void shouldHaveSharesThatSumToOne() {
        KeyDistribution zipf = KeyDistribution.parse("zipf", 10_000);

        double total = 0;
        for (int r = 0; r < zipf.keys(); r++) {
            total += zipf.share(r);
        }
        assertThat(total).isCloseTo(1.0, within(1e-9));
        assertThat(zipf.share(0) / zipf.share(1)).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void shouldRoundTripItsSpec() {
        assertThat(KeyDistribution.parse("zipf:1.1", 5).spec()).isEqualTo("zipf:1.1");
        assertThat(KeyDistribution.parse(KeyDistribution.parse("zipf", 5).spec(), 5).spec()).isEqualTo("zipf:1.0");
        assertThat(KeyDistribution.parse("uniform", 5).spec()).isEqualTo("uniform");
    }

    @Test
    void shouldRefuseMeaninglessSpecs() {
        assertThatThrownBy(() -> KeyDistribution.parse("zipf:0", 10)).hasMessageContaining("positive");
        assertThatThrownBy(() -> KeyDistribution.parse("zipf:x", 10)).hasMessageContaining("number");
        assertThatThrownBy(() -> KeyDistribution.parse("pareto", 10)).hasMessageContaining("uniform, zipf");
        assertThatThrownBy(() -> KeyDistribution.parse("uniform", 0)).hasMessageContaining("keys");
    }
}
