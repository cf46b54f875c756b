package dev.batchmesh.batcher.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Collects requests into flush cycles. A request's records enter the current cycle whole under one
 * lock, so they are never split between two transactions. The current cycle is sealed when one of its
 * partition buffers reaches the batch record or byte limit, or once the linger time since its first
 * request has passed and the publisher is free to take it: while a cycle commits, the next one keeps
 * filling (group commit), and is taken as soon as the publisher returns.
 *
 * <p>The buffer is bounded: pending and in-flight requests hold their estimated bytes until their
 * cycle is released. {@link #append} refuses a request that does not fit at once; {@link #admit}
 * queues it (first come, first served) until a released cycle makes room, without blocking a thread:
 * the caller bounds the wait and {@link #withdraw}s the request when it gives up. A waiting request
 * holds only its own parsed columns, never buffer bytes.
 */
public final class CycleAccumulator {

    private final int maxBatchRecords;
    private final long maxBatchBytes;
    private final long lingerNanos;
    private final long maxBufferBytes;
    private final LongSupplier nanoClock;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<FlushCycle> sealed = new ArrayDeque<>();
    private final ArrayDeque<IngestBatch> waiting = new ArrayDeque<>();
    private FlushCycle current;
    private long sequence;
    private int partitions;
    private boolean closed;
    /** Written under the lock, read without it by the gauge. */
    private volatile long bufferedBytes;

    public CycleAccumulator(int maxBatchRecords, long maxBatchBytes, long lingerNanos, long maxBufferBytes, LongSupplier nanoClock) {
        this.maxBatchRecords = maxBatchRecords;
        this.maxBatchBytes = maxBatchBytes;
        this.lingerNanos = lingerNanos;
        this.maxBufferBytes = maxBufferBytes;
        this.nanoClock = nanoClock;
    }

    /** Starts accepting requests, now that the partition count of the topic is known. */
    public void open(int partitionCount) {
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("partition count must be positive, was " + partitionCount);
        }
        lock.lock();
        try {
            partitions = partitionCount;
        } finally {
            lock.unlock();
        }
    }

    /** The partition count requests must be grouped for, 0 while not yet open. */
    public int partitions() {
        lock.lock();
        try {
            return closed ? 0 : partitions;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds all records of the request to the current cycle, or none of them.
     *
     * @throws BufferFullException when its bytes do not fit in the buffer now
     * @throws NotAcceptingException before {@link #open} and after {@link #close}
     */
    public void append(IngestBatch batch) {
        lock.lock();
        try {
            checkAccepting(batch);
            long bytes = batch.estimatedBytes();
            if (bufferedBytes + bytes > maxBufferBytes) {
                throw new BufferFullException("the ingest buffer is full (" + bufferedBytes + " of " + maxBufferBytes + " bytes in use)");
            }
            appendLocked(batch);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds all records of the request to the current cycle now if they fit and nobody waits before
     * it, else queues the request; the returned future completes once its records are in a cycle, or
     * exceptionally with {@link NotAcceptingException} when the accumulator closes first.
     *
     * @throws BufferFullException when the request is larger than the whole buffer
     * @throws NotAcceptingException before {@link #open} and after {@link #close}
     */
    public CompletableFuture<Void> admit(IngestBatch batch) {
        lock.lock();
        try {
            checkAccepting(batch);
            long bytes = batch.estimatedBytes();
            if (bytes > maxBufferBytes) {
                throw new BufferFullException("the request needs " + bytes + " buffer bytes, more than the " + maxBufferBytes + " there are");
            }
            if (waiting.isEmpty() && bufferedBytes + bytes <= maxBufferBytes) {
                appendLocked(batch);
                return CompletableFuture.completedFuture(null);
            }
            waiting.addLast(batch);
            return batch.admitted();
        } finally {
            lock.unlock();
        }
    }

    /** Takes a queued request out of the queue; false when it was admitted (or failed) meanwhile. */
    public boolean withdraw(IngestBatch batch) {
        lock.lock();
        try {
            return waiting.removeIf(waiter -> waiter == batch);
        } finally {
            lock.unlock();
        }
    }

    /** Requests queued for buffer space. */
    public int waitingRequests() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void checkAccepting(IngestBatch batch) {
        if (closed || partitions == 0) {
            throw new NotAcceptingException(closed ? "the batcher is shutting down" : "the batcher is starting");
        }
        if (batch.partitions() != partitions) {
            throw new IllegalArgumentException("request grouped for " + batch.partitions() + " partitions, not " + partitions);
        }
    }

    private void appendLocked(IngestBatch batch) {
        boolean opened = current == null;
        if (opened) {
            current = new FlushCycle(++sequence, nanoClock.getAsLong(), partitions);
        }
        boolean full = current.append(batch, maxBatchRecords, maxBatchBytes);
        bufferedBytes += batch.estimatedBytes();
        if (full) {
            sealed.addLast(current);
            current = null;
        }
        if (full || opened) {
            changed.signalAll();
        }
    }

    /** The next cycle to publish if one is ready now (sealed, lingered long enough, or closing), else null. */
    public FlushCycle pollReady() {
        lock.lock();
        try {
            return takeReady();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code maxWaitNanos} for a cycle to become ready. Returns null on timeout, and at once
     * when the accumulator is closed and holds nothing more.
     */
    public FlushCycle awaitReady(long maxWaitNanos) throws InterruptedException {
        long deadline = nanoClock.getAsLong() + maxWaitNanos;
        lock.lock();
        try {
            while (true) {
                FlushCycle ready = takeReady();
                if (ready != null || (closed && current == null)) {
                    return ready;
                }
                long now = nanoClock.getAsLong();
                long wait = deadline - now;
                if (current != null) {
                    wait = Math.min(wait, current.openedNanos() + lingerNanos - now);
                }
                if (deadline - now <= 0) {
                    return null;
                }
                if (wait > 0) {
                    changed.awaitNanos(wait);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private FlushCycle takeReady() {
        FlushCycle next = sealed.pollFirst();
        if (next != null) {
            return next;
        }
        if (current != null && (closed || nanoClock.getAsLong() - current.openedNanos() >= lingerNanos)) {
            next = current;
            current = null;
        }
        return next;
    }

    /** Returns the cycle's bytes to the buffer once it is committed or failed. */
    public void release(FlushCycle cycle) {
        List<IngestBatch> admitted = new ArrayList<>();
        lock.lock();
        try {
            bufferedBytes -= cycle.reservedBytes();
            while (!closed && !waiting.isEmpty() && bufferedBytes + waiting.peekFirst().estimatedBytes() <= maxBufferBytes) {
                IngestBatch next = waiting.pollFirst();
                appendLocked(next);
                admitted.add(next);
            }
        } finally {
            lock.unlock();
        }
        // Outside the lock: completing runs the waiting requests' continuations.
        admitted.forEach(batch -> batch.admitted().complete(null));
    }

    /** Stops accepting requests; what is buffered becomes ready at once, so a shutdown flushes it. */
    public void close() {
        List<IngestBatch> refused;
        lock.lock();
        try {
            closed = true;
            refused = new ArrayList<>(waiting);
            waiting.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        NotAcceptingException answer = new NotAcceptingException("the batcher is shutting down");
        refused.forEach(batch -> batch.admitted().completeExceptionally(answer));
    }

    /** True once closed with nothing left to publish. */
    public boolean isDrained() {
        lock.lock();
        try {
            return closed && current == null && sealed.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Estimated encoded bytes of the pending and in-flight requests. */
    public long bufferedBytes() {
        return bufferedBytes;
    }
}
