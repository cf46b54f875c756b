package dev.batchmesh.batcher.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The header, its validation, the ledger and Kafka key of a (tenant, key), and the fingerprint of a request. */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    public static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /** 1 to 255 printable ASCII characters (0x20 to 0x7E). */
    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** {@code tenant + '\0' + key}: tenants never contain NUL, so two tenants' keys never collide. */
    public static String ledgerKey(String tenant, String key) {
        return tenant + '\0' + key;
    }

    public static byte[] kafkaKey(String ledgerKey) {
        return ledgerKey.getBytes(StandardCharsets.UTF_8);
    }

    public static String fromKafkaKey(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    /**
     * SHA-256 of the stream, the body format and the raw body bytes, each separated so that no two
     * different requests share an input. The format (JSON array or NDJSON) rather than the literal
     * Content-Type, so {@code application/json} and {@code application/json;charset=UTF-8} are the same request.
     */
    public static byte[] fingerprint(String stream, String format, byte[] body) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
        digest.update(stream.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(format.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(body);
        return digest.digest();
    }
}
