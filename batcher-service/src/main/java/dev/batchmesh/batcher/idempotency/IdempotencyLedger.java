package dev.batchmesh.batcher.idempotency;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This replica's view of the idempotency log: the deciding entry of every key seen within the
 * horizon. Only the reader thread {@link #apply applies} records, in offset order per partition (a
 * key lives in one partition), so every replica that read the same prefix of the log holds the same
 * view. The rules:
 * <ul>
 *   <li>a CLAIMED wins unless the key holds a COMMITTED younger than the horizon or a claim that is
 *       still live (younger than the claim TTL) at the new claim's log time: the first live claim wins;</li>
 *   <li>a COMMITTED wins unless the key already holds a COMMITTED younger than the horizon;</li>
 *   <li>a RELEASED removes the claim it names if that claim is still the key's deciding entry.</li>
 * </ul>
 * Times are Kafka log-append timestamps, so the rules do not depend on any batcher's clock; only the
 * "is it worth waiting" and "may I claim" checks on the request path use the local clock, and a wrong
 * local guess there costs a wait or a losing claim, never a double count.
 *
 * <p>Memory: one map node per key within the horizon, about 200 bytes plus twice the key length
 * (key string, entry record, 32-byte hash, map node); a million keys a day is about 250 MB.
 */
public final class IdempotencyLedger {

    /** What a request with a key should do now. */
    public sealed interface Decision {
    }

    /** Answer the original 202. */
    public record Replay(int accepted) implements Decision {
    }

    /** The key holds another request (different stream, format or body). */
    public record KeyReused() implements Decision {
    }

    /** A live claim of the same request is in flight: wait for its outcome. */
    public record InFlight() implements Decision {
    }

    /** Nothing live holds the key: claim it. */
    public record Absent() implements Decision {
    }

    private final long horizonMillis;
    private final long claimTtlMillis;
    private final ConcurrentHashMap<String, IdempotencyEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<CompletableFuture<Void>>> watchers = new ConcurrentHashMap<>();
    private final Object positionLock = new Object();
    private long[] positions = new long[0];
    private final List<OffsetWaiter> offsetWaiters = new ArrayList<>();
    private volatile boolean caughtUp;

    private record OffsetWaiter(int partition, long offset, CompletableFuture<Void> future) {
    }

    public IdempotencyLedger(long horizonMillis, long claimTtlMillis) {
        this.horizonMillis = horizonMillis;
        this.claimTtlMillis = claimTtlMillis;
    }

    public long claimTtlMillis() {
        return claimTtlMillis;
    }

    /** Applies one log record; a null entry is a tombstone. */
    public void apply(String key, IdempotencyEntry incoming) {
        if (incoming == null) {
            entries.remove(key);
        } else if (incoming instanceof IdempotencyEntry.Released released) {
            entries.computeIfPresent(key, (k, existing) ->
                    existing instanceof IdempotencyEntry.Claimed claim && claim.claimId().equals(released.claimId()) ? null : existing);
        } else {
            entries.compute(key, (k, existing) -> wins(incoming, existing) ? incoming : existing);
        }
        List<CompletableFuture<Void>> waiting = watchers.remove(key);
        if (waiting != null) {
            synchronized (waiting) {
                waiting.forEach(future -> future.complete(null));
            }
        }
    }

    private boolean wins(IdempotencyEntry incoming, IdempotencyEntry existing) {
        if (existing instanceof IdempotencyEntry.Committed committed && incoming.logTime() - committed.logTime() < horizonMillis) {
            return false;
        }
        if (incoming instanceof IdempotencyEntry.Claimed && existing instanceof IdempotencyEntry.Claimed claim) {
            return incoming.logTime() - claim.logTime() >= claimTtlMillis;
        }
        return true;
    }

    /** The decision for a request with this fingerprint at local time {@code now}. */
    public Decision decide(String key, byte[] bodyHash, long now) {
        IdempotencyEntry entry = live(key, now);
        if (entry == null) {
            return new Absent();
        }
        if (!IdempotencyEntry.sameBody(entry, bodyHash)) {
            return new KeyReused();
        }
        return entry instanceof IdempotencyEntry.Committed committed ? new Replay(committed.accepted()) : new InFlight();
    }

    /** True when the key's deciding entry is this claim: the request may be ingested. */
    public boolean isWinner(String key, UUID claimId) {
        return entries.get(key) instanceof IdempotencyEntry.Claimed claim && claim.claimId().equals(claimId);
    }

    /** The key's entry if it still counts at local time {@code now}. */
    IdempotencyEntry live(String key, long now) {
        IdempotencyEntry entry = entries.get(key);
        return switch (entry) {
            case null -> null;
            case IdempotencyEntry.Committed c -> now - c.logTime() < horizonMillis ? c : null;
            case IdempotencyEntry.Claimed c -> now - c.logTime() < claimTtlMillis ? c : null;
            case IdempotencyEntry.Released r -> null;
        };
    }

    /** Completes at the next record applied for the key (register before deciding, so no change is missed). */
    public CompletableFuture<Void> nextChange(String key) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        watchers.compute(key, (k, list) -> {
            List<CompletableFuture<Void>> waiting = list == null ? new ArrayList<>() : list;
            synchronized (waiting) {
                waiting.add(future);
            }
            return waiting;
        });
        return future;
    }

    /** Sets the partition count before the first record; positions start at 0. */
    public void partitions(int count) {
        synchronized (positionLock) {
            positions = new long[count];
        }
    }

    /** The reader's position (next offset to read) of a partition moved forward. */
    public void advanced(int partition, long position) {
        List<CompletableFuture<Void>> passed = new ArrayList<>();
        synchronized (positionLock) {
            positions[partition] = Math.max(positions[partition], position);
            offsetWaiters.removeIf(waiter -> {
                if (waiter.future().isDone()) {
                    return true;
                }
                if (positions[waiter.partition()] > waiter.offset()) {
                    passed.add(waiter.future());
                    return true;
                }
                return false;
            });
        }
        passed.forEach(future -> future.complete(null));
    }

    /** Completes once the reader has applied the record at this offset (and so every earlier one of its partition). */
    public CompletableFuture<Void> consumedPast(int partition, long offset) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (positionLock) {
            if (partition < positions.length && positions[partition] > offset) {
                future.complete(null);
            } else {
                offsetWaiters.add(new OffsetWaiter(partition, offset, future));
            }
        }
        return future;
    }

    public void markCaughtUp() {
        caughtUp = true;
    }

    /** True once the log up to the end offsets seen at start has been applied. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /**
     * Forgets entries that can no longer decide anything, with a claim TTL of slack so a broker clock
     * ahead of ours never makes us forget a commit a later claim would still lose to.
     */
    public int sweep(long now) {
        int before = entries.size();
        entries.entrySet().removeIf(e -> now - e.getValue().logTime() >= horizonMillis + claimTtlMillis);
        for (String key : watchers.keySet()) {
            // computeIfPresent: atomic with nextChange's compute, so no fresh registration is dropped.
            watchers.computeIfPresent(key, (k, list) -> {
                synchronized (list) {
                    list.removeIf(CompletableFuture::isDone);
                    return list.isEmpty() ? null : list;
                }
            });
        }
        synchronized (positionLock) {
            offsetWaiters.removeIf(waiter -> waiter.future().isDone());
        }
        return before - entries.size();
    }

    /** Keys held, for the gauge. */
    public int size() {
        return entries.size();
    }

    /** Fails everything still waiting, when the reader stops. */
    public void close(RuntimeException reason) {
        synchronized (positionLock) {
            offsetWaiters.forEach(waiter -> waiter.future().completeExceptionally(reason));
            offsetWaiters.clear();
        }
        caughtUp = false;
    }
}
