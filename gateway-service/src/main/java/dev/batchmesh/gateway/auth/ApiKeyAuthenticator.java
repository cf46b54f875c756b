package dev.batchmesh.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

import dev.batchmesh.gateway.config.GatewayServiceProperties;
import dev.batchmesh.gateway.config.GatewayServiceProperties.ApiKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Maps an API key to its tenant. Keys are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, against every configured key without stopping at a match, so
 * neither a key's content nor its length shows in the response time.
 */
@Component
public class ApiKeyAuthenticator {

    private record KnownKey(byte[] digest, String tenant) {
    }

    private final List<KnownKey> knownKeys;

    @Autowired
    ApiKeyAuthenticator(GatewayServiceProperties properties) {
        this(properties.apiKeys());
    }

    ApiKeyAuthenticator(List<ApiKey> apiKeys) {
        this.knownKeys = apiKeys.stream().map(k -> new KnownKey(sha256(k.key()), k.tenant())).toList();
    }

    /** The tenant the key belongs to, or empty for an unknown key. */
    public Optional<String> tenantOf(String presentedKey) {
        byte[] presented = sha256(presentedKey);
        String tenant = null;
        for (KnownKey known : knownKeys) {
            if (MessageDigest.isEqual(known.digest(), presented) && tenant == null) {
                tenant = known.tenant();
            }
        }
        return Optional.ofNullable(tenant);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
