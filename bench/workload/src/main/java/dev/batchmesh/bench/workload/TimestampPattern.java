package dev.batchmesh.bench.workload;

import java.util.random.RandomGenerator;

/**
 * Event timestamps: record {@code i} happens at {@code start + i / eventsPerSecond}, then arrives up
 * to {@code jitterMillis} late relative to its neighbours (its timestamp moves back by a uniform
 * amount), the mild disorder of records gathered from several clients. The event-time rate decides
 * how many windows a run spans; the jitter must stay within the grace period of whatever consumes
 * the records, or they are late.
 */
public record TimestampPattern(long startMillis, double eventsPerSecond, long jitterMillis) {

    public TimestampPattern {
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("events per second must be positive and finite, was " + eventsPerSecond);
        }
        if (jitterMillis < 0) {
            throw new IllegalArgumentException("jitter must not be negative, was " + jitterMillis + " ms");
        }
    }

    /** Where record {@code index} would be without jitter. */
    public long nominalMillis(long index) {
        return startMillis + (long) (index * 1000.0 / eventsPerSecond);
    }

    long timestampOf(long index, RandomGenerator random) {
        long nominal = nominalMillis(index);
        return jitterMillis == 0 ? nominal : nominal - random.nextLong(jitterMillis + 1);
    }
}
