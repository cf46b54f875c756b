package dev.batchmesh.batcher.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** Readiness stays down until the log was read to the end offsets seen at start, and again once the reader stopped. */
class IdempotencyHealthIndicatorTest {

    @Test
    void shouldBeOutOfServiceUntilTheLedgerCaughtUpAndAfterItClosed() {
        IdempotencyLedger ledger = new IdempotencyLedger(86_400_000, 30_000);
        IdempotencyHealthIndicator health = new IdempotencyHealthIndicator(ledger);
        assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);

        ledger.markCaughtUp();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);

        ledger.close(new IllegalStateException("stopping"));
        assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }
}
