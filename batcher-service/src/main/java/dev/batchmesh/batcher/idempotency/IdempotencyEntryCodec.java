package dev.batchmesh.batcher.idempotency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Binary values of the idempotency log, version 1:
 * <pre>
 * version 0x01, kind 0x01 CLAIMED:   claim id (16 bytes), instance (u16 length, UTF-8), body hash (32), claimedAt (i64 ms)
 * version 0x01, kind 0x02 COMMITTED: body hash (32), accepted (i32), committedAt (i64 ms)
 * version 0x01, kind 0x03 RELEASED:  claim id (16 bytes)
 * </pre>
 * A reader that meets another version skips the record rather than misreading it.
 */
public final class IdempotencyEntryCodec {

    static final byte VERSION = 1;
    static final byte CLAIMED = 1;
    static final byte COMMITTED = 2;
    static final byte RELEASED = 3;
    private static final int HASH_BYTES = 32;

    private IdempotencyEntryCodec() {
    }

    public static byte[] encode(IdempotencyEntry entry) {
        return switch (entry) {
            case IdempotencyEntry.Claimed c -> {
                byte[] instance = c.instance().getBytes(StandardCharsets.UTF_8);
                if (instance.length > 0xFFFF) {
                    throw new IllegalArgumentException("instance id too long");
                }
                yield ByteBuffer.allocate(2 + 16 + 2 + instance.length + HASH_BYTES + 8)
                        .put(VERSION).put(CLAIMED)
                        .putLong(c.claimId().getMostSignificantBits()).putLong(c.claimId().getLeastSignificantBits())
                        .putShort((short) instance.length).put(instance)
                        .put(hash(c.bodyHash())).putLong(c.claimedAt()).array();
            }
            case IdempotencyEntry.Committed m -> ByteBuffer.allocate(2 + HASH_BYTES + 4 + 8)
                    .put(VERSION).put(COMMITTED).put(hash(m.bodyHash())).putInt(m.accepted()).putLong(m.committedAt()).array();
            case IdempotencyEntry.Released r -> ByteBuffer.allocate(2 + 16)
                    .put(VERSION).put(RELEASED).putLong(r.claimId().getMostSignificantBits()).putLong(r.claimId().getLeastSignificantBits()).array();
        };
    }

    /** The entry, or null for a version or kind this reader does not know. Throws on a truncated value. */
    public static IdempotencyEntry decode(byte[] value, long logTime) {
        ByteBuffer in = ByteBuffer.wrap(value);
        if (in.get() != VERSION) {
            return null;
        }
        byte kind = in.get();
        if (kind == CLAIMED) {
            UUID claimId = new UUID(in.getLong(), in.getLong());
            byte[] instance = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(instance);
            byte[] hash = new byte[HASH_BYTES];
            in.get(hash);
            return new IdempotencyEntry.Claimed(claimId, new String(instance, StandardCharsets.UTF_8), hash, in.getLong(), logTime);
        }
        if (kind == COMMITTED) {
            byte[] hash = new byte[HASH_BYTES];
            in.get(hash);
            int accepted = in.getInt();
            return new IdempotencyEntry.Committed(hash, accepted, in.getLong(), logTime);
        }
        if (kind == RELEASED) {
            return new IdempotencyEntry.Released(new UUID(in.getLong(), in.getLong()), logTime);
        }
        return null;
    }

    private static byte[] hash(byte[] hash) {
        if (hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("body hash must be " + HASH_BYTES + " bytes");
        }
        return hash;
    }
}
