package dev.batchmesh.core.aggregate;

/**
 * Double-double arithmetic for sums: a value is {@code hi + lo} with {@code |lo| <= ulp(hi)/2}.
 * Carrying the rounding error of every addition keeps a sum independent of how records were split
 * into batches and in which order partials were merged, far below the 1e-9 the API promises.
 */
final class CompensatedSum {

    private CompensatedSum() {
    }

    /** Adds {@code x} to {@code (hi, lo)}; returns the new pair as {@code [hi, lo]} in {@code out}. */
    static void add(double hi, double lo, double x, double[] out) {
        double s = hi + x;
        double bp = s - hi;
        double err = (hi - (s - bp)) + (x - bp);
        normalize(s, lo + err, out);
    }

    static void add(double hi1, double lo1, double hi2, double lo2, double[] out) {
        double s = hi1 + hi2;
        double bp = s - hi1;
        double err = (hi1 - (s - bp)) + (hi2 - bp);
        normalize(s, err + lo1 + lo2, out);
    }

    private static void normalize(double hi, double lo, double[] out) {
        double s = hi + lo;
        out[1] = lo - (s - hi);
        out[0] = s;
    }
}
