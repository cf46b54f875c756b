package dev.batchmesh.batcher.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.batcher.batching.CommitMarker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two simulated replicas, each with its own ledger, over one in-memory log: the request-path
 * decisions of the guard, including races between them.
 */
class IdempotencyGuardTest {

    private static final long HORIZON = Duration.ofHours(24).toMillis();
    private static final long TTL = Duration.ofSeconds(30).toMillis();
    private static final Duration IN_FLIGHT_WAIT = Duration.ofMillis(300);
    private static final byte[] BODY = hash(1);
    private static final byte[] OTHER_BODY = hash(2);

    private final MutableClock clock = new MutableClock(1_795_000_000_000L);
    private final InMemoryLog log = new InMemoryLog(clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IdempotencyLedger ledgerA = log.newReader(HORIZON, TTL);
    private final IdempotencyLedger ledgerB = log.newReader(HORIZON, TTL);
    private final IdempotencyGuard replicaA = guard("a", ledgerA);
    private final IdempotencyGuard replicaB = guard("b", ledgerB);

    @Test
    void shouldReplayOnTheOtherReplicaOnceTheFirstRequestCommitted() {
        IdempotencyGuard.Outcome first = outcome(replicaA.admit("acme", "k1", BODY, 5));
        assertThat(first).isInstanceOf(IdempotencyGuard.Proceed.class);
        commit((IdempotencyGuard.Proceed) first);

        assertThat(outcome(replicaB.admit("acme", "k1", BODY, 5))).isEqualTo(new IdempotencyGuard.Replayed(5));
        assertThat(outcome(replicaA.admit("acme", "k1", BODY, 5))).isEqualTo(new IdempotencyGuard.Replayed(5));
        assertThat(outcome(replicaB.admit("acme", "k1", OTHER_BODY, 5))).isEqualTo(new IdempotencyGuard.KeyReused());
        assertThat(outcome(replicaB.admit("other", "k1", OTHER_BODY, 5))).as("another tenant's key")
                .isInstanceOf(IdempotencyGuard.Proceed.class);
        assertThat(registry.get("batcher.idempotency.replays").counter().count()).isEqualTo(2);
        assertThat(registry.get("batcher.idempotency.conflicts").tag("outcome", "key-reused").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldLetExactlyOneOfTwoConcurrentClaimsProceedAndTheOtherReplayAfterWaiting() {
        log.deliverAtOnce = false;
        CompletableFuture<IdempotencyGuard.Outcome> onA = replicaA.admit("acme", "k2", BODY, 4);
        CompletableFuture<IdempotencyGuard.Outcome> onB = replicaB.admit("acme", "k2", BODY, 4);
        assertThat(log.size()).as("both claimed before either read the log").isEqualTo(2);
        log.deliver();

        IdempotencyGuard.Outcome a = outcome(onA);
        assertThat(a).isInstanceOf(IdempotencyGuard.Proceed.class);
        assertThat(onB).as("the loser waits for the winner").isNotDone();
        commit((IdempotencyGuard.Proceed) a);
        log.deliver();

        assertThat(outcome(onB)).isEqualTo(new IdempotencyGuard.Replayed(4));
        assertThat(registry.get("batcher.idempotency.conflicts").tag("outcome", "wait").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldAnswerConflictWhenTheInFlightRequestDoesNotFinishWithinTheWait() {
        assertThat(outcome(replicaA.admit("acme", "k3", BODY, 1))).isInstanceOf(IdempotencyGuard.Proceed.class);

        long started = System.nanoTime();
        assertThat(outcome(replicaB.admit("acme", "k3", BODY, 1))).isEqualTo(new IdempotencyGuard.Conflict());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(IN_FLIGHT_WAIT.minusMillis(50), Duration.ofSeconds(3));
        assertThat(outcome(replicaB.admit("acme", "k3", OTHER_BODY, 1))).as("a different body while in flight")
                .isEqualTo(new IdempotencyGuard.KeyReused());
        assertThat(registry.get("batcher.idempotency.conflicts").tag("outcome", "conflict").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldLetARepeatProceedOnceTheClaimOfACrashedReplicaExpired() {
        assertThat(outcome(replicaA.admit("acme", "k4", BODY, 1))).isInstanceOf(IdempotencyGuard.Proceed.class);
        // replica A crashes before its cycle commits: no COMMITTED ever follows its claim
        clock.advance(Duration.ofMillis(TTL));

        assertThat(outcome(replicaB.admit("acme", "k4", BODY, 1))).isInstanceOf(IdempotencyGuard.Proceed.class);
    }

    @Test
    void shouldLetARetryProceedAtOnceWhenTheWinnerReleasedItsClaim() {
        IdempotencyGuard.Outcome first = outcome(replicaA.admit("acme", "k8", BODY, 1));
        assertThat(first).isInstanceOf(IdempotencyGuard.Proceed.class);
        // e.g. the buffer stayed full: the records never entered a cycle
        replicaA.release((IdempotencyGuard.Proceed) first);

        assertThat(outcome(replicaB.admit("acme", "k8", BODY, 1))).isInstanceOf(IdempotencyGuard.Proceed.class);
    }

    @Test
    void shouldTreatAKeyAsNewBeyondTheHorizon() {
        commit((IdempotencyGuard.Proceed) outcome(replicaA.admit("acme", "k5", BODY, 2)));
        clock.advance(Duration.ofMillis(HORIZON - 1));
        assertThat(outcome(replicaB.admit("acme", "k5", BODY, 2))).isEqualTo(new IdempotencyGuard.Replayed(2));

        clock.advance(Duration.ofMillis(1));
        assertThat(outcome(replicaB.admit("acme", "k5", OTHER_BODY, 9))).isInstanceOf(IdempotencyGuard.Proceed.class);
    }

    @Test
    void shouldAnswerUnavailableBeforeTheLogWasReadToItsEnd() {
        IdempotencyLedger starting = new IdempotencyLedger(HORIZON, TTL);
        IdempotencyGuard guard = guard("c", starting);

        assertThat(outcome(guard.admit("acme", "k6", BODY, 1))).isInstanceOf(IdempotencyGuard.Unavailable.class);
    }

    @Test
    void shouldAnswerUnavailableWhenTheClaimIsNotReadBackInTime() {
        log.deliverAtOnce = false;
        IdempotencyGuard.Outcome outcome = outcome(replicaA.admit("acme", "k7", BODY, 1));

        assertThat(outcome).isInstanceOf(IdempotencyGuard.Unavailable.class);
    }

    private void commit(IdempotencyGuard.Proceed proceed) {
        CommitMarker marker = proceed.marker();
        assertThat(marker.topic()).isEqualTo("ingest-idempotency");
        log.write(marker.key(), marker.value());
    }

    private IdempotencyGuard guard(String instance, IdempotencyLedger ledger) {
        return new IdempotencyGuard(ledger, log, "ingest-idempotency", instance, IN_FLIGHT_WAIT, Duration.ofMillis(500), clock,
                new IdempotencyMetrics(registry, ledger));
    }

    private static IdempotencyGuard.Outcome outcome(CompletableFuture<IdempotencyGuard.Outcome> future) {
        return future.orTimeout(5, TimeUnit.SECONDS).join();
    }

    private static byte[] hash(int fill) {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) fill);
        return hash;
    }
}
