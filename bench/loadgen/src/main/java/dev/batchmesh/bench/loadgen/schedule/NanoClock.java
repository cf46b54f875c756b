package dev.batchmesh.bench.loadgen.schedule;

import java.util.concurrent.locks.LockSupport;

/** Monotonic time the scheduler waits on; tests substitute a virtual one. */
public interface NanoClock {

    long nanoTime();

    void sleepUntil(long nanos) throws InterruptedException;

    NanoClock SYSTEM = new NanoClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long nanos) throws InterruptedException {
            long remaining;
            while ((remaining = nanos - System.nanoTime()) > 0) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                // parkNanos overshoots by tens of microseconds; the last stretch spins
                if (remaining > 200_000) {
                    LockSupport.parkNanos(remaining - 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    };
}
