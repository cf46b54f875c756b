package dev.batchmesh.batcher.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The log-order rules every replica applies, and the decisions they lead to. */
class IdempotencyLedgerTest {

    private static final long HORIZON = 86_400_000;
    private static final long TTL = 30_000;
    private static final long T0 = 1_795_000_000_000L;
    private static final String KEY = IdempotencyKeys.ledgerKey("acme", "order-1");
    private static final byte[] BODY = hash(1);
    private static final byte[] OTHER_BODY = hash(2);

    private final IdempotencyLedger ledger = new IdempotencyLedger(HORIZON, TTL);

    @Test
    void shouldReplayTheOriginalCountWhenTheSameRequestCommitted() {
        ledger.apply(KEY, claim("a", BODY, T0));
        ledger.apply(KEY, new IdempotencyEntry.Committed(BODY, 7, T0, T0 + 10));

        assertThat(ledger.decide(KEY, BODY, T0 + 1_000)).isEqualTo(new IdempotencyLedger.Replay(7));
        assertThat(ledger.decide(IdempotencyKeys.ledgerKey("other-tenant", "order-1"), BODY, T0 + 1_000))
                .as("keys are per tenant").isEqualTo(new IdempotencyLedger.Absent());
    }

    @Test
    void shouldAnswerKeyReusedWhenTheBodyDiffersFromTheCommittedOrInFlightRequest() {
        ledger.apply(KEY, claim("a", BODY, T0));
        assertThat(ledger.decide(KEY, OTHER_BODY, T0 + 1)).isEqualTo(new IdempotencyLedger.KeyReused());

        ledger.apply(KEY, new IdempotencyEntry.Committed(BODY, 7, T0, T0 + 10));
        assertThat(ledger.decide(KEY, OTHER_BODY, T0 + 20)).isEqualTo(new IdempotencyLedger.KeyReused());
    }

    @Test
    void shouldLetOnlyTheFirstLiveClaimWinInLogOrder() {
        IdempotencyEntry.Claimed first = claim("a", BODY, T0);
        IdempotencyEntry.Claimed second = claim("b", BODY, T0 + 5);
        ledger.apply(KEY, first);
        ledger.apply(KEY, second);

        assertThat(ledger.isWinner(KEY, first.claimId())).isTrue();
        assertThat(ledger.isWinner(KEY, second.claimId())).isFalse();
        assertThat(ledger.decide(KEY, BODY, T0 + 10)).isEqualTo(new IdempotencyLedger.InFlight());
    }

    @Test
    void shouldLetANewClaimWinOnceADeadClaimExpired() {
        IdempotencyEntry.Claimed dead = claim("crashed", BODY, T0);
        ledger.apply(KEY, dead);
        assertThat(ledger.decide(KEY, BODY, T0 + TTL - 1)).isEqualTo(new IdempotencyLedger.InFlight());
        assertThat(ledger.decide(KEY, BODY, T0 + TTL)).isEqualTo(new IdempotencyLedger.Absent());

        IdempotencyEntry.Claimed tooEarly = claim("b", BODY, T0 + TTL - 1);
        ledger.apply(KEY, tooEarly);
        assertThat(ledger.isWinner(KEY, tooEarly.claimId())).isFalse();
        IdempotencyEntry.Claimed next = claim("b", BODY, T0 + TTL);
        ledger.apply(KEY, next);
        assertThat(ledger.isWinner(KEY, next.claimId())).isTrue();
    }

    @Test
    void shouldKeepACommitAgainstLaterClaimsUntilTheHorizonThenForgetIt() {
        ledger.apply(KEY, new IdempotencyEntry.Committed(BODY, 3, T0, T0));
        IdempotencyEntry.Claimed within = claim("b", OTHER_BODY, T0 + HORIZON - 1);
        ledger.apply(KEY, within);
        assertThat(ledger.isWinner(KEY, within.claimId())).isFalse();
        assertThat(ledger.decide(KEY, BODY, T0 + HORIZON - 1)).isEqualTo(new IdempotencyLedger.Replay(3));

        assertThat(ledger.decide(KEY, BODY, T0 + HORIZON)).as("beyond the horizon").isEqualTo(new IdempotencyLedger.Absent());
        IdempotencyEntry.Claimed after = claim("b", OTHER_BODY, T0 + HORIZON);
        ledger.apply(KEY, after);
        assertThat(ledger.isWinner(KEY, after.claimId())).isTrue();
    }

    @Test
    void shouldDropAReleasedClaimOnlyWhileItStillDecidesTheKey() {
        IdempotencyEntry.Claimed first = claim("a", BODY, T0);
        ledger.apply(KEY, first);
        ledger.apply(KEY, new IdempotencyEntry.Released(UUID.randomUUID(), T0 + 1));
        assertThat(ledger.isWinner(KEY, first.claimId())).as("another claim's release changes nothing").isTrue();

        ledger.apply(KEY, new IdempotencyEntry.Released(first.claimId(), T0 + 2));
        assertThat(ledger.decide(KEY, BODY, T0 + 3)).isEqualTo(new IdempotencyLedger.Absent());

        ledger.apply(KEY, new IdempotencyEntry.Committed(BODY, 3, T0, T0 + 4));
        ledger.apply(KEY, new IdempotencyEntry.Released(first.claimId(), T0 + 5));
        assertThat(ledger.decide(KEY, BODY, T0 + 6)).as("a release never removes a commit").isEqualTo(new IdempotencyLedger.Replay(3));
        UUID id = UUID.randomUUID();
        assertThat(IdempotencyEntryCodec.decode(IdempotencyEntryCodec.encode(new IdempotencyEntry.Released(id, 0)), T0))
                .isEqualTo(new IdempotencyEntry.Released(id, T0));
    }

    @Test
    void shouldKeepTheFirstCommitAgainstALaterCommitWithinTheHorizon() {
        ledger.apply(KEY, new IdempotencyEntry.Committed(BODY, 3, T0, T0));
        ledger.apply(KEY, new IdempotencyEntry.Committed(OTHER_BODY, 9, T0, T0 + 1));

        assertThat(ledger.decide(KEY, BODY, T0 + 2)).isEqualTo(new IdempotencyLedger.Replay(3));
    }

    @Test
    void shouldForgetOnlyEntriesBeyondHorizonPlusClaimTtlWhenSwept() {
        ledger.apply(KEY, new IdempotencyEntry.Committed(BODY, 3, T0, T0));
        ledger.apply(IdempotencyKeys.ledgerKey("acme", "young"), new IdempotencyEntry.Committed(BODY, 3, T0, T0 + TTL));

        assertThat(ledger.sweep(T0 + HORIZON + TTL - 1)).isZero();
        assertThat(ledger.sweep(T0 + HORIZON + TTL)).isEqualTo(1);
        assertThat(ledger.size()).isEqualTo(1);
    }

    @Test
    void shouldCompleteAnOffsetWaitOnlyOnceTheReaderPassedTheOffset() {
        ledger.partitions(2);
        CompletableFuture<Void> waiting = ledger.consumedPast(1, 4);

        ledger.advanced(0, 10);
        ledger.advanced(1, 4);
        assertThat(waiting).isNotDone();
        ledger.advanced(1, 5);
        assertThat(waiting).isCompleted();
        assertThat(ledger.consumedPast(1, 3)).as("already passed").isCompleted();
    }

    @Test
    void shouldWakeWatchersOfAKeyOnItsNextRecordOnly() {
        CompletableFuture<Void> watcher = ledger.nextChange(KEY);

        ledger.apply(IdempotencyKeys.ledgerKey("acme", "other"), claim("a", BODY, T0));
        assertThat(watcher).isNotDone();
        ledger.apply(KEY, claim("a", BODY, T0));
        assertThat(watcher).isCompleted();
    }

    @Test
    void shouldRoundTripEntriesThroughTheCodec() {
        IdempotencyEntry.Claimed claim = claim("pod-7-123", BODY, 0);
        IdempotencyEntry decoded = IdempotencyEntryCodec.decode(IdempotencyEntryCodec.encode(claim), T0);
        assertThat(decoded).isInstanceOfSatisfying(IdempotencyEntry.Claimed.class, c -> {
            assertThat(c.claimId()).isEqualTo(claim.claimId());
            assertThat(c.instance()).isEqualTo("pod-7-123");
            assertThat(c.bodyHash()).isEqualTo(BODY);
            assertThat(c.claimedAt()).isEqualTo(claim.claimedAt());
            assertThat(c.logTime()).isEqualTo(T0);
        });
        IdempotencyEntry committed = IdempotencyEntryCodec.decode(
                IdempotencyEntryCodec.encode(new IdempotencyEntry.Committed(BODY, 42, 17, 0)), T0);
        assertThat(committed).isInstanceOfSatisfying(IdempotencyEntry.Committed.class, c -> {
            assertThat(c.accepted()).isEqualTo(42);
            assertThat(c.committedAt()).isEqualTo(17);
            assertThat(c.bodyHash()).isEqualTo(BODY);
        });
        assertThat(IdempotencyEntryCodec.decode(new byte[] {2, 1}, T0)).as("unknown version is skipped").isNull();
    }

    @Test
    void shouldAcceptOnlyOneTo255PrintableAsciiCharactersAsAKey() {
        assertThat(IdempotencyKeys.isValid("a")).isTrue();
        assertThat(IdempotencyKeys.isValid("order 42/~!")).isTrue();
        assertThat(IdempotencyKeys.isValid("x".repeat(255))).isTrue();
        assertThat(IdempotencyKeys.isValid("x".repeat(256))).isFalse();
        assertThat(IdempotencyKeys.isValid("")).isFalse();
        assertThat(IdempotencyKeys.isValid("tab\there")).isFalse();
        assertThat(IdempotencyKeys.isValid("é")).isFalse();
        assertThat(IdempotencyKeys.isValid("del\u007F")).isFalse();
    }

    @Test
    void shouldFingerprintStreamFormatAndBodyApart() {
        byte[] base = IdempotencyKeys.fingerprint("s", "NDJSON", "{}".getBytes());
        assertThat(base).hasSize(32).isEqualTo(IdempotencyKeys.fingerprint("s", "NDJSON", "{}".getBytes()));
        assertThat(base).isNotEqualTo(IdempotencyKeys.fingerprint("t", "NDJSON", "{}".getBytes()))
                .isNotEqualTo(IdempotencyKeys.fingerprint("s", "JSON_ARRAY", "{}".getBytes()))
                .isNotEqualTo(IdempotencyKeys.fingerprint("s", "NDJSON", "{} ".getBytes()));
    }

    private static IdempotencyEntry.Claimed claim(String instance, byte[] body, long logTime) {
        return new IdempotencyEntry.Claimed(UUID.randomUUID(), instance, body, logTime, logTime);
    }

    private static byte[] hash(int fill) {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) fill);
        return hash;
    }
}
