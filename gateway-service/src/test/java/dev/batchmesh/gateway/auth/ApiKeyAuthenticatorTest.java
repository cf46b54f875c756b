package dev.batchmesh.gateway.auth;

import java.util.List;

import dev.batchmesh.gateway.config.GatewayServiceProperties.ApiKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyAuthenticatorTest {

    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(List.of(
            new ApiKey("dev-key", "dev"), new ApiKey("dev-key-2", "dev2")));

    @Test
    void shouldMapEachKeyToItsTenant() {
        assertThat(authenticator.tenantOf("dev-key")).contains("dev");
        assertThat(authenticator.tenantOf("dev-key-2")).contains("dev2");
    }

    @Test
    void shouldRejectUnknownPrefixedAndDifferentlyCasedKeys() {
        assertThat(authenticator.tenantOf("dev-key-3")).isEmpty();
        assertThat(authenticator.tenantOf("dev-ke")).isEmpty();
        assertThat(authenticator.tenantOf("DEV-KEY")).isEmpty();
        assertThat(authenticator.tenantOf("")).isEmpty();
    }

    @Test
    void shouldNeverPrintTheKeyOfAConfiguredApiKey() {
        assertThat(new ApiKey("s3cret-value", "dev").toString()).doesNotContain("s3cret").contains("dev");
    }
}
