package dev.batchmesh.batcher.idempotency;

import java.util.Arrays;
import java.util.UUID;

/**
 * A value of the idempotency log. {@code logTime} is the Kafka record timestamp (the topic uses
 * LogAppendTime, so every replica judges expiry on the broker's clock, never on a batcher's).
 */
public sealed interface IdempotencyEntry {

    byte[] bodyHash();

    long logTime();

    IdempotencyEntry withLogTime(long logTime);

    /** A replica intends to ingest the request; the first live claim of a key in log order wins. */
    record Claimed(UUID claimId, String instance, byte[] bodyHash, long claimedAt, long logTime) implements IdempotencyEntry {

        @Override
        public Claimed withLogTime(long time) {
            return new Claimed(claimId, instance, bodyHash, claimedAt, time);
        }

        @Override
        public String toString() {
            return "Claimed[" + claimId + " by " + instance + " at " + logTime + "]";
        }
    }

    /** The request's records committed, in the same transaction as this record; {@code accepted} is the original answer. */
    record Committed(byte[] bodyHash, int accepted, long committedAt, long logTime) implements IdempotencyEntry {

        @Override
        public Committed withLogTime(long time) {
            return new Committed(bodyHash, accepted, committedAt, time);
        }

        @Override
        public String toString() {
            return "Committed[" + accepted + " at " + logTime + "]";
        }
    }

    /**
     * The claimant gives its claim up: its records never entered a cycle (buffer full, shutting down),
     * so they can never commit and a retry need not wait for the claim to expire. Only the claim it
     * names is affected; in log order it removes that claim if it is still the key's deciding entry.
     */
    record Released(UUID claimId, long logTime) implements IdempotencyEntry {

        @Override
        public byte[] bodyHash() {
            return new byte[0];
        }

        @Override
        public Released withLogTime(long time) {
            return new Released(claimId, time);
        }
    }

    static boolean sameBody(IdempotencyEntry entry, byte[] bodyHash) {
        return Arrays.equals(entry.bodyHash(), bodyHash);
    }
}
