package dev.batchmesh.core.aggregate;

import java.util.Objects;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * A mergeable summary of a set of values: count, compensated sum, min, max, mean and M2 (sum of
 * squared deviations, for a numerically stable variance, merged with Chan et al.'s formula), and a
 * KLL quantile sketch whose rank error bound survives merging. {@link #merge} is associative and
 * commutative with {@link #empty} as identity (exactly for count/min/max, to double-double precision
 * for the sum, to rounding for mean and M2, within the sketch's rank error for quantiles).
 *
 * <p>Immutable: the sketch is owned by this instance and never updated after construction.
 */
public final class PartialAggregate {

    public static final int DEFAULT_SKETCH_K = 200;

    private final long count;
    private final double sumHi;
    private final double sumLo;
    private final double min;
    private final double max;
    private final double mean;
    private final double m2;
    private final KllDoublesSketch sketch;

    PartialAggregate(long count, double sumHi, double sumLo, double min, double max, double mean, double m2,
                     KllDoublesSketch sketch) {
        this.count = count;
        this.sumHi = sumHi;
        this.sumLo = sumLo;
        this.min = min;
        this.max = max;
        this.mean = mean;
        this.m2 = m2;
        this.sketch = Objects.requireNonNull(sketch);
    }

    public static PartialAggregate empty(int sketchK) {
        return new PartialAggregate(0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0,
                KllDoublesSketch.newHeapInstance(sketchK));
    }

    public static PartialAggregate of(int sketchK, double... values) {
        WindowAccumulator acc = new WindowAccumulator(sketchK);
        for (double v : values) {
            acc.add(v);
        }
        return acc.toPartial();
    }

    public PartialAggregate merge(PartialAggregate other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        long n = count + other.count;
        double delta = other.mean - mean;
        double weight = (double) other.count / n;
        double mergedMean = mean + delta * weight;
        double mergedM2 = m2 + other.m2 + delta * delta * ((double) count * weight);
        double[] sum = new double[2];
        CompensatedSum.add(sumHi, sumLo, other.sumHi, other.sumLo, sum);
        KllDoublesSketch merged = KllDoublesSketch.newHeapInstance(Math.max(sketch.getK(), other.sketch.getK()));
        merged.merge(sketch);
        merged.merge(other.sketch);
        return new PartialAggregate(n, sum[0], sum[1], Math.min(min, other.min), Math.max(max, other.max),
                mergedMean, Math.max(0, mergedM2), merged);
    }

    public long count() {
        return count;
    }

    public double sum() {
        return sumHi + sumLo;
    }

    double sumHi() {
        return sumHi;
    }

    double sumLo() {
        return sumLo;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    double rawMean() {
        return mean;
    }

    public double m2() {
        return m2;
    }

    /** Sample variance (n - 1), NaN below two values. */
    public double sampleVariance() {
        return count < 2 ? Double.NaN : m2 / (count - 1);
    }

    public double sampleStddev() {
        return Math.sqrt(sampleVariance());
    }

    /** Nearest-rank quantile: the smallest retained value whose inclusive rank reaches {@code rank}. */
    public double quantile(double rank) {
        return count == 0 ? Double.NaN : sketch.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
    }

    /** The sketch's normalised rank error bound for a single quantile query (about 1.65% at k = 200). */
    public double rankError() {
        return sketch.getNormalizedRankError(false);
    }

    public int sketchK() {
        return sketch.getK();
    }

    /** Read-only access for codecs and tests; never update the returned sketch. */
    KllDoublesSketch sketch() {
        return sketch;
    }

    public Statistics statistics() {
        double[] q = count == 0
                ? new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}
                : sketch.getQuantiles(new double[] {0.5, 0.9, 0.95, 0.99}, QuantileSearchCriteria.INCLUSIVE);
        return new Statistics(count, sum(), min, max, mean(), count < 2 ? null : sampleStddev(), q[0], q[1], q[2], q[3]);
    }

    @Override
    public String toString() {
        return "PartialAggregate[count=" + count + ", sum=" + sum() + ", min=" + min + ", max=" + max + ", mean=" + mean
                + ", m2=" + m2 + ", k=" + sketch.getK() + "]";
    }
}
