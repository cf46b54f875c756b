package dev.batchmesh.gateway.ratelimit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-tenant limits ({@code gateway.rate-limits.*}), enforced by each gateway replica on its own:
 * with N replicas behind a load balancer a tenant gets up to N times these rates.
 *
 * @param defaults limits of every tenant not listed in {@code tenants}
 * @param tenants  limits by tenant name
 */
@Validated
@ConfigurationProperties("gateway.rate-limits")
record RateLimitProperties(@Valid @DefaultValue Limit defaults, Map<String, @Valid Limit> tenants) {

    RateLimitProperties {
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    }

    Limit of(String tenant) {
        return tenants.getOrDefault(tenant, defaults);
    }

    /**
     * @param requestsPerSecond sustained requests per second
     * @param requestBurst      requests allowed at once after a quiet period
     * @param recordsPerSecond  sustained ingested records per second
     * @param recordBurst       records allowed at once; one request may overdraw it, later ones then wait
     */
    record Limit(@DefaultValue("500") @NotNull @Positive Double requestsPerSecond,
                 @DefaultValue("1000") @NotNull @Positive Double requestBurst,
                 @DefaultValue("500000") @NotNull @Positive Double recordsPerSecond,
                 @DefaultValue("1000000") @NotNull @Positive Double recordBurst) {
    }
}
