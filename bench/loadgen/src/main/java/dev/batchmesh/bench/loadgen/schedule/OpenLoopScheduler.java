package dev.batchmesh.bench.loadgen.schedule;

import java.time.Duration;

/**
 * Open-loop sending at a fixed rate: request {@code i} is due at {@code start + i / rate}, whatever
 * happened to earlier requests. When the dispatcher blocks (no free connection, a slow server) the
 * schedule does not move: the overdue requests go out as soon as it returns, and each is still
 * timed from its own intended time. Timing from the actual send instead would hide exactly the
 * waiting a real client population would have seen (coordinated omission).
 */
public final class OpenLoopScheduler {

    /** Sends one request; may block, e.g. while every connection is busy. */
    @FunctionalInterface
    public interface Dispatcher {
        void dispatch(long sequence, long intendedNanos) throws InterruptedException;
    }

    private final double ratePerSecond;
    private final NanoClock clock;

    public OpenLoopScheduler(double ratePerSecond, NanoClock clock) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be positive and finite, was " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.clock = clock;
    }

    /** The intended send time of request {@code sequence}; from the start, not from the previous send, so no drift accumulates. */
    public long intendedNanos(long startNanos, long sequence) {
        return startNanos + (long) (sequence * 1e9 / ratePerSecond);
    }

    /** How many requests a run of {@code duration} intends to send. */
    public long requestsIn(Duration duration) {
        return (long) Math.ceil(duration.toNanos() * ratePerSecond / 1e9);
    }

    /**
     * Dispatches every request whose intended time falls in {@code [startNanos, startNanos + duration)}
     * and returns how many were dispatched (fewer only when interrupted).
     */
    public long run(long startNanos, Duration duration, Dispatcher dispatcher) throws InterruptedException {
        long total = requestsIn(duration);
        for (long i = 0; i < total; i++) {
            long intended = intendedNanos(startNanos, i);
            if (clock.nanoTime() < intended) {
                clock.sleepUntil(intended);
            }
            dispatcher.dispatch(i, intended);
        }
        return total;
    }
}
