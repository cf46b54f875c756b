package dev.batchmesh.batcher.idempotency;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Replays, conflicts by outcome ({@code wait}, {@code conflict}, {@code key-reused}) and the keys held. */
public final class IdempotencyMetrics {

    private final Counter replays;
    private final Counter waits;
    private final Counter conflicts;
    private final Counter keyReused;

    public IdempotencyMetrics(MeterRegistry registry, IdempotencyLedger ledger) {
        replays = Counter.builder("batcher.idempotency.replays").description("Repeats answered with the original 202").register(registry);
        waits = conflict(registry, "wait");
        conflicts = conflict(registry, "conflict");
        keyReused = conflict(registry, "key-reused");
        Gauge.builder("batcher.idempotency.keys", ledger, IdempotencyLedger::size)
                .description("Idempotency keys held within the horizon").register(registry);
    }

    private static Counter conflict(MeterRegistry registry, String outcome) {
        return Counter.builder("batcher.idempotency.conflicts")
                .description("Keyed requests that met another request with the same key")
                .tag("outcome", outcome).register(registry);
    }

    void replayed() {
        replays.increment();
    }

    void waited() {
        waits.increment();
    }

    void conflicted() {
        conflicts.increment();
    }

    void keyReused() {
        keyReused.increment();
    }
}
