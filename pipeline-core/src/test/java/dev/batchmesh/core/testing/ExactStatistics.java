package dev.batchmesh.core.testing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * The reference the pipeline is checked against: statistics computed directly from all values,
 * sums in exact decimal arithmetic, variance by the two-pass formula, and the true rank interval of
 * any value. Independent of the production code on purpose.
 */
public final class ExactStatistics {

    private final double[] sorted;
    private final BigDecimal sum;

    public ExactStatistics(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
        BigDecimal s = BigDecimal.ZERO;
        for (double v : values) {
            s = s.add(new BigDecimal(v));
        }
        this.sum = s;
    }

    public long count() {
        return sorted.length;
    }

    public double sum() {
        return sum.doubleValue();
    }

    public double min() {
        return sorted[0];
    }

    public double max() {
        return sorted[sorted.length - 1];
    }

    public double mean() {
        return sum.divide(BigDecimal.valueOf(sorted.length), MathContext.DECIMAL128).doubleValue();
    }

    public double meanAbs() {
        BigDecimal s = BigDecimal.ZERO;
        for (double v : sorted) {
            s = s.add(new BigDecimal(Math.abs(v)));
        }
        return s.divide(BigDecimal.valueOf(sorted.length), MathContext.DECIMAL128).doubleValue();
    }

    /** Sample standard deviation (n - 1); NaN below two values. */
    public double sampleStddev() {
        if (sorted.length < 2) {
            return Double.NaN;
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(sorted.length), MathContext.DECIMAL128);
        BigDecimal ss = BigDecimal.ZERO;
        for (double v : sorted) {
            BigDecimal d = new BigDecimal(v).subtract(mean);
            ss = ss.add(d.multiply(d));
        }
        return Math.sqrt(ss.divide(BigDecimal.valueOf(sorted.length - 1L), MathContext.DECIMAL128).doubleValue());
    }

    /** Nearest-rank quantile of the exact data: the smallest value whose inclusive rank reaches q. */
    public double nearestRank(double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /**
     * How far, in normalised rank, {@code value} is from being a correct answer for quantile q:
     * 0 when q lies within the value's true rank interval [#(x < v) / n, #(x <= v) / n].
     */
    public double rankDistance(double q, double value) {
        int below = lowerBound(value);
        int atOrBelow = upperBound(value);
        double lo = (double) below / sorted.length;
        double hi = (double) atOrBelow / sorted.length;
        if (q < lo) {
            return lo - q;
        }
        if (q > hi) {
            return q - hi;
        }
        return 0;
    }

    private int lowerBound(double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int upperBound(double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Whether {@code actual} is within {@code relative} of {@code expected}, scaled up to {@code floor} near zero. */
    public static boolean close(double expected, double actual, double relative, double floor) {
        double scale = Math.max(Math.abs(expected), Math.abs(floor));
        return Math.abs(expected - actual) <= relative * scale || expected == actual;
    }
}
