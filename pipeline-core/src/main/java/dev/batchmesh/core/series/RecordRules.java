package dev.batchmesh.core.series;

/** The naming rules of the v1 API, shared by every service that accepts or stores a name. */
public final class RecordRules {

    public static final int MAX_KEY_BYTES = 256;
    private static final int MAX_NAME_LENGTH = 64;

    private RecordRules() {
    }

    /** A name of letters, digits, '.', '_' and '-', at most 64, and not only dots ('.' and '..' are path segments). */
    public static boolean isValidStream(String stream) {
        // a loop, not a regex: every merge in the aggregator decodes (and so checks) a series key
        if (stream == null || stream.isEmpty() || stream.length() > MAX_NAME_LENGTH) {
            return false;
        }
        boolean onlyDots = true;
        for (int i = 0; i < stream.length(); i++) {
            char c = stream.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
            onlyDots &= c == '.';
        }
        return !onlyDots;
    }

    /** Tenants follow the stream rule, which keeps them usable in topic names, paths and labels. */
    public static boolean isValidTenant(String tenant) {
        return isValidStream(tenant);
    }

    /** Null when the key is acceptable, otherwise why not, in words fit for a client. */
    public static String keyViolation(String key) {
        if (key == null) {
            return "key is missing";
        }
        if (key.isEmpty()) {
            return "key is empty";
        }
        // The UTF-8 length is counted here rather than encoded: this runs for every ingested record.
        int bytes = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                return "key contains control character U+%04X at position %d".formatted((int) c, i);
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1));
                if (!paired) {
                    return "key is not valid UTF-8 (unpaired surrogate at position " + i + ")";
                }
                i++;
                bytes += 4;
            } else {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        if (bytes > MAX_KEY_BYTES) {
            return "key is " + bytes + " bytes of UTF-8, more than " + MAX_KEY_BYTES;
        }
        return null;
    }

    public static void requireValidStream(String stream) {
        if (!isValidStream(stream)) {
            throw new IllegalArgumentException("invalid stream name: must match [A-Za-z0-9._-]{1,64} and not be only dots");
        }
    }

    public static void requireValidTenant(String tenant) {
        if (!isValidTenant(tenant)) {
            throw new IllegalArgumentException("invalid tenant: must match [A-Za-z0-9._-]{1,64} and not be only dots");
        }
    }

    public static void requireValidKey(String key) {
        String violation = keyViolation(key);
        if (violation != null) {
            throw new IllegalArgumentException(violation);
        }
    }
}
