package dev.batchmesh.core.aggregate;

import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Builds a {@link PartialAggregate} from raw values, one pass, no boxing: compensated sum,
 * Welford's running mean and M2, and the KLL sketch. Not thread-safe; one per (series, window).
 */
public final class WindowAccumulator {

    private final KllDoublesSketch sketch;
    private final double[] sum = new double[2];
    private long count;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double mean;
    private double m2;

    public WindowAccumulator(int sketchK) {
        this.sketch = KllDoublesSketch.newHeapInstance(sketchK);
    }

    public WindowAccumulator add(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("values must be finite, got " + value);
        }
        count++;
        CompensatedSum.add(sum[0], sum[1], value, sum);
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
        sketch.update(value);
        return this;
    }

    public long count() {
        return count;
    }

    /** The partial of everything added so far. The accumulator must not be used afterwards. */
    public PartialAggregate toPartial() {
        if (count == 0) {
            return PartialAggregate.empty(sketch.getK());
        }
        return new PartialAggregate(count, sum[0], sum[1], min, max, mean, Math.max(0, m2), sketch);
    }
}
