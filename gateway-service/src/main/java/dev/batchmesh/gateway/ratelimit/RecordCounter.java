package dev.batchmesh.gateway.ratelimit;

import java.nio.ByteBuffer;

/**
 * Counts the records of an ingest body as its bytes stream through, without parsing or buffering
 * it: a record is a JSON object opening at the top level of an NDJSON body, or directly inside
 * the top-level array of a JSON body. Braces inside strings do not count. For a malformed body the
 * count is approximate, which is all a rate limit needs (the batcher rejects the body anyway).
 */
final class RecordCounter {

    private static final int CHUNK_BYTES = 8192;
    private static final byte OTHER = 0;
    private static final byte QUOTE = 1;
    private static final byte BACKSLASH = 2;
    private static final byte OPEN_ARRAY = 3;
    private static final byte OPEN_OBJECT = 4;
    private static final byte CLOSE = 5;
    /** What each byte value means to the scan; everything but six ASCII characters is OTHER. */
    private static final byte[] KINDS = new byte[256];

    static {
        KINDS['"'] = QUOTE;
        KINDS['\\'] = BACKSLASH;
        KINDS['['] = OPEN_ARRAY;
        KINDS['{'] = OPEN_OBJECT;
        KINDS[']'] = CLOSE;
        KINDS['}'] = CLOSE;
    }

    private int depth;
    private boolean inString;
    private boolean escaped;
    private int recordDepth = -1;
    private long records;
    /** Copies of a direct buffer's bytes, one array for the whole body. */
    private byte[] chunk;

    /**
     * The bytes between the buffer's position and limit, which stay as they are. Scans an array
     * with the state in locals: per-byte calls through a Netty buffer cost more than the counting.
     */
    void accept(ByteBuffer bytes) {
        if (bytes.hasArray()) {
            scan(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            return;
        }
        if (chunk == null) {
            chunk = new byte[CHUNK_BYTES];
        }
        for (int at = bytes.position(); at < bytes.limit(); ) {
            int n = Math.min(chunk.length, bytes.limit() - at);
            bytes.get(at, chunk, 0, n);
            scan(chunk, 0, n);
            at += n;
        }
    }

    private void scan(byte[] bytes, int offset, int length) {
        int depth = this.depth;
        boolean inString = this.inString;
        boolean escaped = this.escaped;
        int recordDepth = this.recordDepth;
        long records = this.records;
        for (int i = offset, end = offset + length; i < end; i++) {
            byte kind = KINDS[bytes[i] & 0xFF];
            if (kind == OTHER) {
                // most bytes of a body: one lookup, and an escape ends after any byte
                escaped = false;
                continue;
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (kind == BACKSLASH) {
                    escaped = true;
                } else if (kind == QUOTE) {
                    inString = false;
                }
            } else if (kind == QUOTE) {
                inString = true;
            } else if (kind == OPEN_ARRAY || kind == OPEN_OBJECT) {
                if (recordDepth < 0) {
                    recordDepth = kind == OPEN_ARRAY ? 1 : 0;
                }
                if (kind == OPEN_OBJECT && depth == recordDepth) {
                    records++;
                }
                depth++;
            } else if (kind == CLOSE) {
                depth = Math.max(0, depth - 1);
            }
        }
        this.depth = depth;
        this.inString = inString;
        this.escaped = escaped;
        this.recordDepth = recordDepth;
        this.records = records;
    }

    long records() {
        return records;
    }
}
