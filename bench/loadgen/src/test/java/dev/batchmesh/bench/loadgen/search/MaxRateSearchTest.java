package dev.batchmesh.bench.loadgen.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;

class MaxRateSearchTest {

    /** Runs the search against a system that holds every rate up to {@code capacity}, returning the rates tried. */
    private static List<Double> runAgainst(MaxRateSearch search, DoublePredicate holds, int maxSteps) {
        List<Double> tried = new ArrayList<>();
        double rate = search.currentRate();
        for (int i = 0; i < maxSteps; i++) {
            tried.add(rate);
            OptionalDouble next = search.record(holds.test(rate));
            if (next.isEmpty()) {
                break;
            }
            rate = next.getAsDouble();
        }
        return tried;
    }

    @Test
    void shouldMultiplyTheRateWhileStepsHold() {
        MaxRateSearch search = new MaxRateSearch(100, 2, 0.1, 1);

        List<Double> tried = runAgainst(search, rate -> true, 4);

        assertThat(tried).containsExactly(100.0, 200.0, 400.0, 800.0);
        assertThat(search.highestSustained()).hasValue(800.0);
    }

    @Test
    void shouldBisectBetweenTheHighestHeldAndTheLowestFailedRateUntilWithinPrecision() {
        MaxRateSearch search = new MaxRateSearch(100, 2, 0.1, 1);

        List<Double> tried = runAgainst(search, rate -> rate <= 330, 20);

        // 100 200 400(fail, run again: fail) 300 350(fail) 325: 325..350 is within 10 % of 325
        assertThat(tried).containsExactly(100.0, 200.0, 400.0, 400.0, 300.0, 350.0, 325.0);
        assertThat(search.highestSustained()).hasValue(325.0);
        assertThat(search.record(true)).isEmpty();
    }

    @Test
    void shouldRunTheFirstFailedRateAgainSoThatOneBadStepDoesNotCapTheSearch() {
        MaxRateSearch search = new MaxRateSearch(100, 2, 0.1, 1);
        boolean[] hiccup = {true};

        List<Double> tried = runAgainst(search, rate -> {
            if (hiccup[0]) {
                hiccup[0] = false;
                return false;
            }
            return rate <= 330;
        }, 20);

        assertThat(tried.subList(0, 4)).containsExactly(100.0, 100.0, 200.0, 400.0);
        assertThat(search.highestSustained()).hasValue(325.0);
    }

    @Test
    void shouldStepDownWhenTheFirstRateAlreadyFails() {
        MaxRateSearch search = new MaxRateSearch(100, 2, 0.1, 1);

        List<Double> tried = runAgainst(search, rate -> rate <= 30, 20);

        assertThat(tried.subList(0, 4)).containsExactly(100.0, 100.0, 50.0, 25.0);
        assertThat(search.highestSustained().getAsDouble()).isBetween(27.0, 30.0);
    }

    @Test
    void shouldGiveUpWithoutASustainedRateBelowTheMinimum() {
        MaxRateSearch search = new MaxRateSearch(4, 2, 0.1, 1);

        List<Double> tried = runAgainst(search, rate -> false, 20);

        assertThat(tried).containsExactly(4.0, 4.0, 2.0, 1.0);
        assertThat(search.highestSustained()).isEmpty();
    }
}
