package dev.batchmesh.bench.loadgen.search;

import java.util.OptionalDouble;

/**
 * The rate steps of the find-the-maximum mode. It multiplies the rate by {@code stepFactor} after
 * every sustained step; after the first step that is not sustained it bisects between the highest
 * sustained and the lowest failed rate until they are within {@code precision} of each other. If
 * even the first rate fails, it divides by the factor until a rate holds. The caller runs each rate
 * and stops when {@link #nextRate} is empty or its time is up.
 *
 * <p>The search's first failure is run again before it counts: every later rate stays below the
 * lowest failed one, so a single pause of a shared machine during one step would otherwise cap
 * the whole search there.
 */
public final class MaxRateSearch {

    private final double stepFactor;
    private final double precision;
    private final double minRate;
    private double current;
    private double highestSustained = Double.NaN;
    private double lowestFailed = Double.NaN;
    private boolean done;
    private boolean repeating;

    public MaxRateSearch(double startRate, double stepFactor, double precision, double minRate) {
        if (!(startRate > 0) || !(stepFactor > 1) || !(precision > 0) || !(minRate > 0)) {
            throw new IllegalArgumentException("start rate and min rate > 0, step factor > 1, precision > 0 needed");
        }
        this.current = startRate;
        this.stepFactor = stepFactor;
        this.precision = precision;
        this.minRate = minRate;
    }

    /** The rate to run now. */
    public double currentRate() {
        return current;
    }

    /** Records how the current rate went and returns the next rate to run, or empty when the search is over. */
    public OptionalDouble record(boolean sustained) {
        if (done) {
            return OptionalDouble.empty();
        }
        if (!sustained && Double.isNaN(lowestFailed) && !repeating) {
            repeating = true;
            return OptionalDouble.of(current);
        }
        repeating = false;
        if (sustained) {
            highestSustained = Double.isNaN(highestSustained) ? current : Math.max(highestSustained, current);
        } else {
            lowestFailed = Double.isNaN(lowestFailed) ? current : Math.min(lowestFailed, current);
        }
        double next;
        if (Double.isNaN(lowestFailed)) {
            next = current * stepFactor;
        } else if (Double.isNaN(highestSustained)) {
            next = current / stepFactor;
            if (next < minRate) {
                done = true;
                return OptionalDouble.empty();
            }
        } else if ((lowestFailed - highestSustained) / highestSustained > precision) {
            next = (highestSustained + lowestFailed) / 2;
        } else {
            done = true;
            return OptionalDouble.empty();
        }
        current = next;
        return OptionalDouble.of(next);
    }

    /** The highest rate that was sustained, if any was. */
    public OptionalDouble highestSustained() {
        return Double.isNaN(highestSustained) ? OptionalDouble.empty() : OptionalDouble.of(highestSustained);
    }
}
