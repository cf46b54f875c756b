package dev.batchmesh.batcher.idempotency;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Part of the readiness group: OUT_OF_SERVICE until the idempotency log has been read up to its end at start. */
public final class IdempotencyHealthIndicator implements HealthIndicator {

    private final IdempotencyLedger ledger;

    public IdempotencyHealthIndicator(IdempotencyLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Health health() {
        Health.Builder health = ledger.isCaughtUp() ? Health.up() : Health.outOfService();
        return health.withDetail("keys", ledger.size()).build();
    }
}
