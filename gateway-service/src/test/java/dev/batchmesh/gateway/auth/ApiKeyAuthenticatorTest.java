package dev.batchmesh.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.gateway.auth.ApiKeyAuthenticator.Outcome;
import dev.batchmesh.gateway.config.GatewayServiceProperties.ApiKey;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeyAuthenticatorTest {

    static String sha256Hex(String key) {
        return HexFormat.of().formatHex(ApiKeyAuthenticator.sha256(key));
    }

    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(List.of(
            new ApiKey("a", sha256Hex("dev-key"), "dev", false),
            new ApiKey("b", sha256Hex("dev-key-2").toUpperCase(), "dev2", false),
            new ApiKey("old", sha256Hex("leaked-key"), "dev", true)));

    @Test
    void shouldMapEachKeyToItsTenantFromItsDigestInEitherCase() {
        assertThat(authenticator.tenantOf("dev-key")).contains("dev");
        assertThat(authenticator.tenantOf("dev-key-2")).contains("dev2");
        assertThat(authenticator.authenticate("dev-key")).isEqualTo(new Outcome.Authenticated("dev", "a"));
    }

    @Test
    void shouldRejectUnknownPrefixedAndDifferentlyCasedKeys() {
        assertThat(authenticator.tenantOf("dev-key-3")).isEmpty();
        assertThat(authenticator.tenantOf("dev-ke")).isEmpty();
        assertThat(authenticator.tenantOf("DEV-KEY")).isEmpty();
        assertThat(authenticator.tenantOf("")).isEmpty();
    }

    @Test
    void shouldRefuseARevokedKeyAndSayWhichOne() {
        assertThat(authenticator.tenantOf("leaked-key")).isEmpty();
        assertThat(authenticator.authenticate("leaked-key")).isEqualTo(new Outcome.Revoked("old"));
    }

    @Test
    void shouldKeepTheLocalDigestsInStepWithTheDocumentedDevKeys() throws Exception {
        String yml = new String(ApiKeyAuthenticatorTest.class.getResourceAsStream("/application.yml").readAllBytes());
        assertThat(yml).contains(sha256Hex("dev-key")).contains(sha256Hex("dev-key-2")).doesNotContain("dev-key\n");
    }
}
