package dev.batchmesh.batcher;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** For test publishers that hold a cycle: signals that a cycle arrived, then waits for the test to let it through. */
public final class PublishGate {

    private PublishGate() {
    }

    public static void pass(Semaphore entered, CountDownLatch gate, Duration timeout) {
        entered.release();
        try {
            if (!gate.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("test gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
