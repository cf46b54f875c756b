package dev.batchmesh.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.batchmesh.gateway.config.GatewayServiceProperties;
import dev.batchmesh.gateway.config.GatewayServiceProperties.ApiKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Maps an API key to its tenant. The configuration holds only SHA-256 digests of keys; a presented
 * key is digested and compared with {@link MessageDigest#isEqual} against every configured digest
 * without stopping at a match, so neither a key's content nor its length shows in the response time.
 */
@Component
public class ApiKeyAuthenticator {

    private record KnownKey(byte[] digest, String name, String tenant, boolean revoked) {
    }

    /** What a presented key turned out to be. */
    public sealed interface Outcome {
        record Authenticated(String tenant, String keyName) implements Outcome {
        }

        record Revoked(String keyName) implements Outcome {
        }

        record Unknown() implements Outcome {
        }
    }

    private final List<KnownKey> knownKeys;

    @Autowired
    ApiKeyAuthenticator(GatewayServiceProperties properties) {
        this(properties.apiKeys());
    }

    ApiKeyAuthenticator(List<ApiKey> apiKeys) {
        this.knownKeys = apiKeys.stream()
                .map(k -> new KnownKey(HexFormat.of().parseHex(k.sha256()), k.name(), k.tenant(), k.revoked()))
                .toList();
    }

    public Outcome authenticate(String presentedKey) {
        byte[] presented = sha256(presentedKey);
        KnownKey match = null;
        for (KnownKey known : knownKeys) {
            if (MessageDigest.isEqual(known.digest(), presented) && match == null) {
                match = known;
            }
        }
        if (match == null) {
            return new Outcome.Unknown();
        }
        return match.revoked() ? new Outcome.Revoked(match.name()) : new Outcome.Authenticated(match.tenant(), match.name());
    }

    /** The tenant the key belongs to, or empty for an unknown or revoked key. */
    public Optional<String> tenantOf(String presentedKey) {
        return authenticate(presentedKey) instanceof Outcome.Authenticated a ? Optional.of(a.tenant()) : Optional.empty();
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
