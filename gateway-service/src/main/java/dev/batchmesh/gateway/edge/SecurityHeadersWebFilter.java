package dev.batchmesh.gateway.edge;

import dev.batchmesh.gateway.config.GatewayServiceProperties;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Sets the configured security headers on every answer just before it is committed: routed
 * answers, the gateway's own problem answers and the OpenAPI document alike. A backend's own value
 * for one of these headers is replaced, so the edge policy holds whatever a backend sends.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeadersWebFilter implements WebFilter {

    private final Map<String, String> headers;

    SecurityHeadersWebFilter(GatewayServiceProperties properties) {
        this.headers = properties.securityHeaders();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders response = exchange.getResponse().getHeaders();
            headers.forEach(response::set);
            return Mono.empty();
        });
        return chain.filter(exchange);
    }
}
