package dev.batchmesh.gateway.auth;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * OAuth2 JWT bearer tokens as an alternative to API keys ({@code gateway.auth.jwt.*}). Off by
 * default. When on, a bearer token shaped like a JWT is verified against the issuer's JWK set and
 * the tenant is read from {@code tenantClaim}; API keys keep working beside it.
 *
 * @param enabled     whether JWTs are accepted
 * @param jwkSetUri   where the signing keys are published (the issuer's {@code jwks_uri})
 * @param issuer      required {@code iss}, when set
 * @param audience    required entry of {@code aud}, when set
 * @param tenantClaim the claim that names the tenant
 */
@Validated
@ConfigurationProperties("gateway.auth.jwt")
record JwtSettings(@DefaultValue("false") boolean enabled,
                   URI jwkSetUri,
                   String issuer,
                   String audience,
                   @DefaultValue("tenant") @NotBlank String tenantClaim) {

    @AssertTrue(message = "gateway.auth.jwt.jwk-set-uri is required when JWTs are enabled")
    boolean isJwkSetUriGivenWhenEnabled() {
        return !enabled || jwkSetUri != null;
    }
}
