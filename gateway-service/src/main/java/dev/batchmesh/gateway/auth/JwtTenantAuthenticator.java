package dev.batchmesh.gateway.auth;

import dev.batchmesh.core.series.RecordRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Verifies a JWT (signature from the JWK set, expiry, issuer and audience when configured) and reads
 * the tenant from the configured claim. Uses Spring Security's resource-server decoder without its
 * filter chain: the gateway's own authentication filter decides which credential a request carries.
 */
@Component
@EnableConfigurationProperties(JwtSettings.class)
class JwtTenantAuthenticator {

    private final JwtSettings settings;
    private final ReactiveJwtDecoder decoder;

    JwtTenantAuthenticator(JwtSettings settings) {
        this.settings = settings;
        this.decoder = settings.enabled() ? decoder(settings) : null;
    }

    boolean enabled() {
        return decoder != null;
    }

    /** A JWT has three base64url parts; API keys are never shaped like that. */
    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    /** The tenant of a valid token, empty for an invalid one. */
    Mono<Optional<String>> tenantOf(String token) {
        return decoder.decode(token)
                .map(jwt -> Optional.ofNullable(jwt.getClaimAsString(settings.tenantClaim())).filter(RecordRules::isValidTenant))
                .onErrorResume(JwtException.class, invalid -> Mono.just(Optional.empty()));
    }

    private static ReactiveJwtDecoder decoder(JwtSettings settings) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwkSetUri().toString()).build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(settings.issuer() == null || settings.issuer().isBlank()
                ? JwtValidators.createDefault()
                : JwtValidators.createDefaultWithIssuer(settings.issuer()));
        if (settings.audience() != null && !settings.audience().isBlank()) {
            validators.add(new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(settings.audience())));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }
}
