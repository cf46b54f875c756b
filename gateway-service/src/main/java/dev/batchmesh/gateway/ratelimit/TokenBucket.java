package dev.batchmesh.gateway.ratelimit;

import java.util.function.LongSupplier;

/**
 * A token bucket that may go into debt: {@link #tryTake} refuses when fewer than the asked tokens
 * are left, {@link #charge} always takes (the records of a request are only known once its body
 * has passed), and a bucket in debt refuses everything until refills paid the debt back. Thread-safe.
 */
final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAt;

    TokenBucket(double perSecond, double capacity, LongSupplier nanoClock) {
        this.ratePerNano = perSecond / 1e9;
        this.capacity = capacity;
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.refilledAt = nanoClock.getAsLong();
    }

    synchronized boolean tryTake(double n) {
        refill();
        if (tokens < n) {
            return false;
        }
        tokens -= n;
        return true;
    }

    /** Whether the bucket holds any token at all (not in debt). */
    synchronized boolean hasTokens() {
        refill();
        return tokens > 0;
    }

    synchronized void charge(double n) {
        refill();
        tokens -= n;
    }

    synchronized long remaining() {
        refill();
        return (long) Math.max(0, Math.floor(tokens));
    }

    /** Seconds, rounded up, until {@code n} tokens are available. */
    synchronized long secondsUntil(double n) {
        refill();
        double missing = n - tokens;
        if (missing <= 0) {
            return 0;
        }
        return (long) Math.ceil(missing / ratePerNano / 1e9);
    }

    /** Seconds, rounded up, until the bucket is full again. */
    synchronized long secondsUntilFull() {
        return secondsUntil(capacity);
    }

    /** The window a full bucket represents: seconds to refill it from empty. */
    long secondsUntilFullFromEmpty() {
        return (long) Math.ceil(capacity / ratePerNano / 1e9);
    }

    long capacity() {
        return (long) capacity;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * ratePerNano);
        refilledAt = now;
    }
}
