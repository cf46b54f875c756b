package dev.batchmesh.gateway.ratelimit;

/**
 * Counts the records of an ingest body as its bytes stream through, without parsing or buffering
 * it: a record is a JSON object opening at the top level of an NDJSON body, or directly inside
 * the top-level array of a JSON body. Braces inside strings do not count. For a malformed body the
 * count is approximate, which is all a rate limit needs (the batcher rejects the body anyway).
 */
final class RecordCounter {

    private int depth;
    private boolean inString;
    private boolean escaped;
    private int recordDepth = -1;
    private long records;

    void accept(byte b) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inString = false;
            }
            return;
        }
        switch (b) {
            case '"' -> inString = true;
            case '[', '{' -> {
                if (recordDepth < 0) {
                    recordDepth = b == '[' ? 1 : 0;
                }
                if (b == '{' && depth == recordDepth) {
                    records++;
                }
                depth++;
            }
            case ']', '}' -> depth = Math.max(0, depth - 1);
            default -> {
                // other bytes do not change the structure
            }
        }
    }

    long records() {
        return records;
    }
}
