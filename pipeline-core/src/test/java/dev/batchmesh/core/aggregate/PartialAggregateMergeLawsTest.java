package dev.batchmesh.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.core.testing.ExactStatistics;
import dev.batchmesh.core.testing.ValueShapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded, reproducible property tests of the merge laws. Every failure message names the seed;
 * rerun one case by putting that seed first in {@link #seeds()}.
 */
class PartialAggregateMergeLawsTest {

    private static final double RELATIVE = 1e-9;
    private static final int K = PartialAggregate.DEFAULT_SKETCH_K;

    static LongStream seeds() {
        return LongStream.range(0, 300).map(i -> 0x5EEDL * 1_000 + i);
    }

    private static double[] values(SplittableRandom r) {
        ValueShapes shape = ValueShapes.values()[r.nextInt(ValueShapes.values().length)];
        int n = r.nextInt(10) == 0 ? r.nextInt(1, 5) : r.nextInt(1, 3_000);
        return shape.sample(r, n);
    }

    /** Splits values into 1..20 random, possibly empty, parts. */
    private static List<double[]> split(SplittableRandom r, double[] values) {
        int parts = r.nextInt(1, 21);
        List<List<Double>> buckets = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            buckets.add(new ArrayList<>());
        }
        for (double v : values) {
            buckets.get(r.nextInt(parts)).add(v);
        }
        List<double[]> out = new ArrayList<>();
        for (List<Double> b : buckets) {
            out.add(b.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return out;
    }

    /** Merges in a random tree shape, which exercises associativity and commutativity at once. */
    private static PartialAggregate mergeRandomly(SplittableRandom r, List<PartialAggregate> partials) {
        List<PartialAggregate> pool = new ArrayList<>(partials);
        while (pool.size() > 1) {
            PartialAggregate a = pool.remove(r.nextInt(pool.size()));
            PartialAggregate b = pool.remove(r.nextInt(pool.size()));
            pool.add(a.merge(b));
        }
        return pool.isEmpty() ? PartialAggregate.empty(K) : pool.getFirst();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldEqualDirectAggregationWhenPartialsOfAnySplitAreMerged(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] values = values(r);
        List<PartialAggregate> partials = split(r, values).stream().map(part -> PartialAggregate.of(K, part)).toList();

        PartialAggregate merged = mergeRandomly(r, partials);

        assertMatchesExact("seed " + seed, merged, new ExactStatistics(values));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldBeAssociativeAndCommutative(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] values = values(r);
        List<double[]> parts = split(r, values);
        while (parts.size() < 3) {
            parts.add(new double[0]);
        }
        PartialAggregate a = PartialAggregate.of(K, parts.get(0));
        PartialAggregate b = PartialAggregate.of(K, parts.get(1));
        PartialAggregate c = PartialAggregate.of(K, parts.get(2));
        double meanAbs = meanAbs(values);

        assertSameAggregate("seed " + seed + " (a+b)+c vs a+(b+c)", a.merge(b).merge(c), a.merge(b.merge(c)), meanAbs);
        assertSameAggregate("seed " + seed + " a+b vs b+a", a.merge(b), b.merge(a), meanAbs);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldHaveEmptyAsIdentity(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] values = values(r);
        PartialAggregate a = PartialAggregate.of(K, values);
        PartialAggregate empty = PartialAggregate.empty(K);
        double meanAbs = meanAbs(values);

        assertSameAggregate("seed " + seed + " a+0", a.merge(empty), a, meanAbs);
        assertSameAggregate("seed " + seed + " 0+a", empty.merge(a), a, meanAbs);
        assertThat(empty.merge(empty).count()).isZero();
    }

    @Test
    void shouldKeepQuantilesWithinTheSketchRankErrorWhenMerged() {
        int checks = 0;
        int withinStated = 0;
        double worst = 0;
        for (long seed : seeds().limit(120).toArray()) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = r.nextInt(1, 40_000);
            double[] values = ValueShapes.values()[r.nextInt(ValueShapes.values().length)].sample(r, n);
            List<PartialAggregate> partials = split(r, values).stream().map(p -> PartialAggregate.of(K, p)).toList();
            PartialAggregate merged = mergeRandomly(r, partials);
            ExactStatistics exact = new ExactStatistics(values);
            for (double q : new double[] {0.01, 0.25, 0.5, 0.9, 0.95, 0.99}) {
                double distance = exact.rankDistance(q, merged.quantile(q));
                checks++;
                if (distance <= merged.rankError()) {
                    withinStated++;
                }
                worst = Math.max(worst, distance / merged.rankError());
                if (n <= K) {
                    assertThat(merged.quantile(q)).as("seed %d: an uncompacted sketch is exact", seed).isEqualTo(exact.nearestRank(q));
                }
            }
        }
        // The stated bound holds with 99% confidence per query; allow that, and never twice the bound.
        assertThat((double) withinStated / checks).as("share of quantiles within the stated rank error").isGreaterThanOrEqualTo(0.99);
        assertThat(worst).as("worst rank distance in units of the stated error").isLessThanOrEqualTo(2.0);
    }

    @Test
    void shouldReportNullStddevBelowTwoRecordsAndNearestRankPercentiles() {
        Statistics one = PartialAggregate.of(K, 5.0).statistics();
        assertThat(one.stddev()).isNull();
        assertThat(one.p99()).isEqualTo(5.0);

        Statistics three = PartialAggregate.of(K, 1.0, 2.0, 3.0).statistics();
        assertThat(three).isEqualTo(new Statistics(3, 6.0, 1.0, 3.0, 2.0, 1.0, 2.0, 3.0, 3.0, 3.0));
    }

    static void assertMatchesExact(String context, PartialAggregate actual, ExactStatistics exact) {
        double meanAbs = exact.meanAbs();
        assertThat(actual.count()).as(context + " count").isEqualTo(exact.count());
        assertThat(actual.min()).as(context + " min").isEqualTo(exact.min());
        assertThat(actual.max()).as(context + " max").isEqualTo(exact.max());
        assertClose(context + " sum", exact.sum(), actual.sum(), meanAbs);
        assertClose(context + " mean", exact.mean(), actual.mean(), meanAbs);
        if (exact.count() >= 2) {
            assertClose(context + " stddev", exact.sampleStddev(), actual.sampleStddev(), meanAbs);
        } else {
            assertThat(actual.statistics().stddev()).as(context + " stddev").isNull();
        }
    }

    private static void assertSameAggregate(String context, PartialAggregate x, PartialAggregate y, double meanAbs) {
        assertThat(x.count()).as(context + " count").isEqualTo(y.count());
        assertThat(x.min()).as(context + " min").isEqualTo(y.min());
        assertThat(x.max()).as(context + " max").isEqualTo(y.max());
        assertClose(context + " sum", x.sum(), y.sum(), meanAbs);
        if (x.count() > 0) {
            assertClose(context + " mean", x.mean(), y.mean(), meanAbs);
        }
        if (x.count() > 1) {
            assertClose(context + " stddev", x.sampleStddev(), y.sampleStddev(), meanAbs);
        }
        if (x.count() > 0 && x.count() <= K) {
            for (double q : new double[] {0.5, 0.9, 0.99}) {
                assertThat(x.quantile(q)).as(context + " p" + q).isEqualTo(y.quantile(q));
            }
        }
    }

    private static void assertClose(String what, double expected, double actual, double meanAbs) {
        assertThat(ExactStatistics.close(expected, actual, RELATIVE, meanAbs))
                .as("%s: expected %s, got %s (relative error %s)", what, expected, actual,
                        Math.abs(expected - actual) / Math.max(Math.abs(expected), meanAbs))
                .isTrue();
    }

    private static double meanAbs(double[] values) {
        return values.length == 0 ? 0 : Arrays.stream(values).map(Math::abs).average().orElse(0);
    }
}
