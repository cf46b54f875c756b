package dev.batchmesh.gateway.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.core.contract.TenantHeader;
import dev.batchmesh.gateway.problem.GatewayProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Authenticates every routed request by its {@code Authorization: Bearer <api-key>} header (or a
 * JWT, when {@code gateway.auth.jwt.enabled}) and
 * tells the backend the tenant through {@link TenantHeader#NAME}. Any tenant header the client sent
 * is dropped first, whatever its case, so a client can never choose its tenant. The API key itself
 * is not forwarded: the backends trust the tenant header, and a key they never see cannot leak
 * into their logs. Runs only for routed requests: unknown paths answer 404 before this.
 */
@Component
class TenantAuthenticationFilter implements GlobalFilter, Ordered {

    /** RFC 6750 b64token after a case-insensitive "Bearer" and one or more spaces. */
    private static final Pattern BEARER = Pattern.compile("(?i)^Bearer +([A-Za-z0-9\\-._~+/]+=*) *$");
    private static final String CHALLENGE = "Bearer";
    static final String INTERNAL_HEADER_PREFIX = "X-Batchmesh-";
    private static final Logger log = LoggerFactory.getLogger(TenantAuthenticationFilter.class);

    private final ApiKeyAuthenticator authenticator;
    private final Counter missing;
    private final Counter malformed;
    private final Counter unknown;
    private final Counter revoked;
    private final Counter invalidJwt;
    private final JwtTenantAuthenticator jwts;

    TenantAuthenticationFilter(ApiKeyAuthenticator authenticator, JwtTenantAuthenticator jwts, MeterRegistry meterRegistry) {
        this.authenticator = authenticator;
        this.missing = rejections(meterRegistry, "missing");
        this.malformed = rejections(meterRegistry, "malformed");
        this.unknown = rejections(meterRegistry, "unknown");
        this.revoked = rejections(meterRegistry, "revoked");
        this.invalidJwt = rejections(meterRegistry, "invalid-jwt");
        this.jwts = jwts;
    }

    @Override
    public int getOrder() {
        // Before every other global filter: nothing is done for a caller we do not know.
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        var authorizations = exchange.getRequest().getHeaders().getValuesAsList(HttpHeaders.AUTHORIZATION);
        if (authorizations.isEmpty()) {
            missing.increment();
            return Mono.error(unauthenticated("The request carries no credentials: send Authorization: Bearer <api-key>."));
        }
        Matcher bearer = authorizations.size() == 1 ? BEARER.matcher(authorizations.getFirst()) : null;
        if (bearer == null || !bearer.matches()) {
            malformed.increment();
            return Mono.error(unauthenticated("The Authorization header must be exactly one 'Bearer <api-key>'."));
        }
        String token = bearer.group(1);
        if (jwts.enabled() && JwtTenantAuthenticator.looksLikeJwt(token)) {
            return jwts.tenantOf(token).flatMap(tenant -> {
                if (tenant.isEmpty()) {
                    invalidJwt.increment();
                    return Mono.error(unauthenticated("The token is not valid."));
                }
                return forward(exchange, chain, tenant.get());
            });
        }
        String tenant;
        switch (authenticator.authenticate(token)) {
            case ApiKeyAuthenticator.Outcome.Authenticated a -> tenant = a.tenant();
            case ApiKeyAuthenticator.Outcome.Revoked r -> {
                revoked.increment();
                // the same answer as for an unknown key: a caller learns nothing about which keys once existed;
                // the line is logged in handle, where Reactor restores the request's trace context
                return Mono.just(r.keyName()).handle((keyName, sink) -> {
                    log.info("Refused revoked API key {}", keyName);
                    sink.error(unauthenticated("The API key is not valid."));
                });
            }
            case ApiKeyAuthenticator.Outcome.Unknown u -> {
                unknown.increment();
                return Mono.error(unauthenticated("The API key is not valid."));
            }
        }
        return forward(exchange, chain, tenant);
    }

    private static Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, String tenant) {
        ServerHttpRequest forwarded = exchange.getRequest().mutate()
                .headers(headers -> {
                    headers.remove(HttpHeaders.AUTHORIZATION);
                    // The X-Batchmesh- namespace is internal (tenant, replica forwarding): no client sets it.
                    headers.headerNames().stream()
                            .filter(name -> name.regionMatches(true, 0, INTERNAL_HEADER_PREFIX, 0, INTERNAL_HEADER_PREFIX.length()))
                            .toList()
                            .forEach(headers::remove);
                    headers.set(TenantHeader.NAME, tenant);
                })
                .build();
        return chain.filter(exchange.mutate().request(forwarded).build());
    }

    private static GatewayProblemException unauthenticated(String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        return new GatewayProblemException(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHENTICATED, detail, headers);
    }

    private static Counter rejections(MeterRegistry registry, String reason) {
        return Counter.builder("batchmesh.gateway.auth.rejections")
                .description("Requests refused for missing, malformed or unknown credentials")
                .tag("reason", reason)
                .register(registry);
    }
}
