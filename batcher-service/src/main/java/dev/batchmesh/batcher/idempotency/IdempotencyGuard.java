package dev.batchmesh.batcher.idempotency;

import dev.batchmesh.batcher.batching.CommitMarker;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a request with an Idempotency-Key does, without blocking a thread:
 * <ol>
 *   <li>a COMMITTED of the same request within the horizon: replay its answer; of another request: 422;</li>
 *   <li>a live claim of the same request: wait (bounded) for its outcome, then replay or 409;</li>
 *   <li>otherwise write a CLAIMED record, wait until the local reader has applied it, and proceed only
 *       if it is the key's first live claim in log order. Because every replica applies the same log in
 *       the same order, exactly one claim wins, whichever replicas the repeats reach.</li>
 * </ol>
 * A winner's records carry a {@link CommitMarker}: the COMMITTED record, written in the cycle's own
 * transaction. If that transaction aborts nothing is written and the claim simply expires.
 */
public final class IdempotencyGuard {

    /** What the request does next. */
    public sealed interface Outcome {
    }

    /** Answer 202 with the original count and {@code Idempotent-Replayed: true}; ingest nothing. */
    public record Replayed(int accepted) implements Outcome {
    }

    /** The claim won: ingest the records with this marker in their transaction, or {@link #release} the claim. */
    public record Proceed(CommitMarker marker, UUID claimId) implements Outcome {
    }

    /** 422: the key belongs to another request. */
    public record KeyReused() implements Outcome {
    }

    /** 409: the same request is still in flight elsewhere. */
    public record Conflict() implements Outcome {
    }

    /** 503: the log cannot be read or written now. */
    public record Unavailable(String detail) implements Outcome {
    }

    private static final Logger log = LoggerFactory.getLogger(IdempotencyGuard.class);

    private final IdempotencyLedger ledger;
    private final ClaimWriter claims;
    private final String topic;
    private final String instance;
    private final long inFlightWaitNanos;
    private final long claimTimeoutNanos;
    private final Clock clock;
    private final IdempotencyMetrics metrics;

    public IdempotencyGuard(IdempotencyLedger ledger, ClaimWriter claims, String topic, String instance,
            Duration inFlightWait, Duration claimTimeout, Clock clock, IdempotencyMetrics metrics) {
        this.ledger = ledger;
        this.claims = claims;
        this.topic = topic;
        this.instance = instance;
        this.inFlightWaitNanos = inFlightWait.toNanos();
        this.claimTimeoutNanos = claimTimeout.toNanos();
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The outcome for a valid request of {@code records} records; never completes exceptionally. */
    public CompletableFuture<Outcome> admit(String tenant, String key, byte[] bodyHash, int records) {
        if (!ledger.isCaughtUp()) {
            return CompletableFuture.completedFuture(new Unavailable("the batcher is still reading its idempotency log; retry later"));
        }
        Attempt attempt = new Attempt(IdempotencyKeys.ledgerKey(tenant, key), bodyHash, records, System.nanoTime() + inFlightWaitNanos);
        attempt.step();
        return attempt.result;
    }

    /**
     * Gives a winning claim up when its records never entered a cycle, so a retry need not wait for the
     * claim to expire. Best effort: if the record is lost, the claim expires after its TTL as usual.
     * Never call it once the records were appended: a cycle that failed may still have committed.
     */
    public void release(Proceed proceed) {
        byte[] value = IdempotencyEntryCodec.encode(new IdempotencyEntry.Released(proceed.claimId(), 0));
        try {
            claims.write(proceed.marker().key(), value).whenComplete((position, error) -> {
                if (error != null) {
                    log.debug("Could not release an idempotency claim: {}", error.toString());
                }
            });
        } catch (RuntimeException e) {
            log.debug("Could not release an idempotency claim: {}", e.toString());
        }
    }

    private final class Attempt {

        final String key;
        final byte[] bodyHash;
        final int records;
        final long deadlineNanos;
        final CompletableFuture<Outcome> result = new CompletableFuture<>();
        boolean waited;
        boolean claimed;

        Attempt(String key, byte[] bodyHash, int records, long deadlineNanos) {
            this.key = key;
            this.bodyHash = bodyHash;
            this.records = records;
            this.deadlineNanos = deadlineNanos;
        }

        void step() {
            try {
                CompletableFuture<Void> change = ledger.nextChange(key);
                switch (ledger.decide(key, bodyHash, clock.millis())) {
                    case IdempotencyLedger.Replay replay -> {
                        metrics.replayed();
                        finish(new Replayed(replay.accepted()));
                    }
                    case IdempotencyLedger.KeyReused reused -> {
                        metrics.keyReused();
                        finish(new KeyReused());
                    }
                    case IdempotencyLedger.InFlight inFlight -> waitForChange(change);
                    case IdempotencyLedger.Absent absent -> {
                        if (claimed) {
                            // Our claim lost and the winner is gone already: rare enough to answer "retry".
                            conflict();
                        } else {
                            claim();
                        }
                    }
                }
            } catch (RuntimeException e) {
                log.warn("Idempotency decision failed", e);
                finish(new Unavailable("the idempotency log is unavailable; retry later"));
            }
        }

        private void waitForChange(CompletableFuture<Void> change) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                conflict();
                return;
            }
            if (!waited) {
                waited = true;
                metrics.waited();
            }
            // Woken by the next record of the key, or at the deadline to answer 409 (re-deciding
            // first: the claim may have expired meanwhile).
            change.completeOnTimeout(null, remaining, TimeUnit.NANOSECONDS).thenRun(() -> {
                if (System.nanoTime() - deadlineNanos >= 0 && ledger.decide(key, bodyHash, clock.millis()) instanceof IdempotencyLedger.InFlight) {
                    conflict();
                } else {
                    step();
                }
            });
        }

        private void claim() {
            claimed = true;
            UUID claimId = UUID.randomUUID();
            byte[] kafkaKey = IdempotencyKeys.kafkaKey(key);
            byte[] value = IdempotencyEntryCodec.encode(new IdempotencyEntry.Claimed(claimId, instance, bodyHash, clock.millis(), 0));
            claims.write(kafkaKey, value).whenComplete((position, error) -> {
                if (error != null) {
                    log.warn("Could not write an idempotency claim: {}", error.toString());
                    finish(new Unavailable("the idempotency log is unavailable; retry later"));
                    return;
                }
                ledger.consumedPast(position.partition(), position.offset())
                        .orTimeout(claimTimeoutNanos, TimeUnit.NANOSECONDS)
                        .whenComplete((ignored, readError) -> {
                            if (readError != null) {
                                finish(new Unavailable("the idempotency claim was not confirmed in time; retry later"));
                            } else if (ledger.isWinner(key, claimId)) {
                                byte[] committed = IdempotencyEntryCodec.encode(
                                        new IdempotencyEntry.Committed(bodyHash, records, clock.millis(), 0));
                                finish(new Proceed(new CommitMarker(topic, kafkaKey, committed), claimId));
                            } else {
                                step();
                            }
                        });
            });
        }

        private void conflict() {
            metrics.conflicted();
            finish(new Conflict());
        }

        private void finish(Outcome outcome) {
            result.complete(outcome);
        }
    }

}
