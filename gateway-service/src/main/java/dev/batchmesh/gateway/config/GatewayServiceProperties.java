package dev.batchmesh.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.batchmesh.core.series.RecordRules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the gateway ({@code gateway.*}).
 *
 * @param apiKeys    every known API key, by its SHA-256 digest, with the tenant it authenticates as
 * @param backends   where the routes in application.yml send requests
 * @param retryAfter what a 502/503 answer tells clients to wait before retrying
 * @param cors       cross-origin access for browser clients such as the web view; off when no origin is listed
 * @param securityHeaders headers set on every answer, gateway errors included
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayServiceProperties(
        @NotEmpty List<@Valid @NotNull ApiKey> apiKeys,
        @Valid @DefaultValue @NotNull Backends backends,
        @DefaultValue("PT1S") @NotNull Duration retryAfter,
        @Valid @DefaultValue Cors cors,
        Map<String, String> securityHeaders) {

    public GatewayServiceProperties {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        securityHeaders = securityHeaders == null ? Map.of() : Map.copyOf(securityHeaders);
    }

    /**
     * @param allowedOrigins origins allowed to call the API from a browser, e.g. https://dash.example.com; empty: none
     * @param maxAge         how long a browser may cache a preflight answer
     */
    public record Cors(@DefaultValue({}) List<@NotBlank String> allowedOrigins, @DefaultValue("PT30M") @NotNull Duration maxAge) {

        public Cors {
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        }
    }

    @AssertTrue(message = "gateway.api-keys must not contain the same key twice")
    public boolean isEachKeyUnique() {
        Set<String> seen = new HashSet<>();
        return apiKeys.stream().filter(k -> k != null && k.sha256() != null)
                .allMatch(k -> seen.add(k.sha256().toLowerCase(java.util.Locale.ROOT)));
    }

    /**
     * One API key, stored only as the SHA-256 digest of its UTF-8 bytes in hex
     * ({@code printf %s "$KEY" | sha256sum}), so neither configuration nor a Kubernetes Secret
     * nor a log ever holds a usable key. A revoked key stays listed so its use is counted as
     * such; removing it has the same effect for clients.
     *
     * @param name    how logs and metrics refer to the key (never the key itself)
     * @param sha256  hex SHA-256 digest of the key
     * @param tenant  the tenant the key authenticates as
     * @param revoked whether the key is refused
     */
    public record ApiKey(@NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "name must match [A-Za-z0-9._-]{1,64}") String name,
                         @NotBlank @Pattern(regexp = "[0-9a-fA-F]{64}", message = "sha256 must be 64 hex digits") String sha256,
                         @NotBlank String tenant,
                         @DefaultValue("false") boolean revoked) {

        @AssertTrue(message = "tenant must match [A-Za-z0-9._-]{1,64}")
        public boolean isTenantValid() {
            return tenant == null || tenant.isBlank() || RecordRules.isValidTenant(tenant);
        }
    }

    public record Backends(
            @DefaultValue("http://localhost:8081") @NotNull URI batcherUri,
            @DefaultValue("http://localhost:8083") @NotNull URI aggregatorUri) {
    }
}
