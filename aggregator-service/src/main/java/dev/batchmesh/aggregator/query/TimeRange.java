package dev.batchmesh.aggregator.query;

import java.time.Instant;

/** A half-open range {@code [fromMillis, toMillis)} of epoch milliseconds; {@code from < to}. */
record TimeRange(long fromMillis, long toMillis) {

    /** Inclusive bounds on window start for the store, whose fetch includes both ends. */
    Instant firstStart() {
        return Instant.ofEpochMilli(fromMillis);
    }

    Instant lastStart() {
        return Instant.ofEpochMilli(toMillis - 1);
    }

    String from() {
        return Instant.ofEpochMilli(fromMillis).toString();
    }

    String to() {
        return Instant.ofEpochMilli(toMillis).toString();
    }
}
