package dev.batchmesh.batcher.batching;

/**
 * Estimates of the micro-batch v1 encoding, used for the batch and buffer limits without encoding.
 * A record is a value (8 bytes) plus a zigzag timestamp delta (about 3 bytes for deltas within
 * ±9 minutes); a series adds its key once per batch, its length, its count and a full first timestamp.
 */
public final class EncodedSize {

    public static final int PER_RECORD = 11;
    public static final int PER_SERIES = 12;
    public static final int PER_GROUP = 4;
    public static final int PER_BATCH = 40;

    private EncodedSize() {
    }

    public static long series(int keyBytes) {
        return PER_SERIES + keyBytes;
    }

    public static long group(StreamRef ref) {
        return PER_GROUP + ref.tenant().length() + ref.stream().length();
    }
}
