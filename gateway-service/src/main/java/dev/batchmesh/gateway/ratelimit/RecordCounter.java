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
            byte b = bytes[i];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '[' || b == '{') {
                if (recordDepth < 0) {
                    recordDepth = b == '[' ? 1 : 0;
                }
                if (b == '{' && depth == recordDepth) {
                    records++;
                }
                depth++;
            } else if (b == ']' || b == '}') {
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
