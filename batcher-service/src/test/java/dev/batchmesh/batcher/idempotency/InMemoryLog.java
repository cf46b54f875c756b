package dev.batchmesh.batcher.idempotency;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A one-partition idempotency log shared by the ledgers of several simulated replicas. Records are
 * stamped with the clock at append (like LogAppendTime) and reach every ledger in log order, at once
 * or when the test calls {@link #deliver}.
 */
final class InMemoryLog implements ClaimWriter {

    private record Entry(byte[] key, byte[] value, long time) {
    }

    private final MutableClock clock;
    private final List<IdempotencyLedger> readers = new ArrayList<>();
    private final List<Integer> delivered = new ArrayList<>();
    private final List<Entry> records = new ArrayList<>();
    volatile boolean deliverAtOnce = true;

    InMemoryLog(MutableClock clock) {
        this.clock = clock;
    }

    synchronized IdempotencyLedger newReader(long horizonMillis, long claimTtlMillis) {
        IdempotencyLedger ledger = new IdempotencyLedger(horizonMillis, claimTtlMillis);
        ledger.partitions(1);
        readers.add(ledger);
        delivered.add(0);
        catchUp(readers.size() - 1);
        ledger.markCaughtUp();
        return ledger;
    }

    @Override
    public CompletableFuture<Position> write(byte[] key, byte[] value) {
        Position position;
        synchronized (this) {
            records.add(new Entry(key, value, clock.millis()));
            position = new Position(0, records.size() - 1);
        }
        if (deliverAtOnce) {
            deliver();
        }
        return CompletableFuture.completedFuture(position);
    }

    /** Brings every reader to the end of the log. */
    void deliver() {
        for (int reader = 0; reader < readers.size(); reader++) {
            catchUp(reader);
        }
    }

    private void catchUp(int reader) {
        IdempotencyLedger ledger;
        List<Entry> pending;
        synchronized (this) {
            ledger = readers.get(reader);
            pending = new ArrayList<>(records.subList(delivered.get(reader), records.size()));
            delivered.set(reader, records.size());
        }
        long position = records.size() - pending.size();
        for (Entry entry : pending) {
            ledger.apply(IdempotencyKeys.fromKafkaKey(entry.key()), IdempotencyEntryCodec.decode(entry.value(), entry.time()));
            ledger.advanced(0, ++position);
        }
    }

    synchronized int size() {
        return records.size();
    }
}
