package dev.batchmesh.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.batchmesh.core.series.RecordRules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the gateway ({@code gateway.*}).
 *
 * @param apiKeys    every accepted API key with the tenant it authenticates as; keys are unique
 * @param backends   where the routes in application.yml send requests
 * @param retryAfter what a 502/503 answer tells clients to wait before retrying
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayServiceProperties(
        @NotEmpty List<@Valid @NotNull ApiKey> apiKeys,
        @Valid @NotNull Backends backends,
        @DefaultValue("PT1S") @NotNull Duration retryAfter) {

    public GatewayServiceProperties {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }

    @AssertTrue(message = "gateway.api-keys must not contain the same key twice")
    public boolean isEachKeyUnique() {
        Set<String> seen = new HashSet<>();
        return apiKeys.stream().filter(k -> k != null && k.key() != null).allMatch(k -> seen.add(k.key()));
    }

    /**
     * One API key. {@link #toString()} masks the key so a bound configuration never prints it.
     */
    public record ApiKey(@NotBlank String key, @NotBlank String tenant) {

        @AssertTrue(message = "tenant must match [A-Za-z0-9._-]{1,64}")
        public boolean isTenantValid() {
            return tenant == null || tenant.isBlank() || RecordRules.isValidTenant(tenant);
        }

        @Override
        public String toString() {
            return "ApiKey[key=****, tenant=" + tenant + "]";
        }
    }

    public record Backends(
            @DefaultValue("http://localhost:8081") @NotNull URI batcherUri,
            @DefaultValue("http://localhost:8083") @NotNull URI aggregatorUri) {
    }
}
