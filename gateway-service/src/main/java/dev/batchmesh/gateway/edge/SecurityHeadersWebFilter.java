package dev.batchmesh.gateway.edge;

import dev.batchmesh.gateway.config.GatewayServiceProperties;
import dev.batchmesh.gateway.webview.WebViewProperties;
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
 * for one of these headers is replaced, so the edge policy holds whatever a backend sends. The web
 * view's paths get its own Content-Security-Policy instead: a page must load its script and style,
 * which the API's {@code default-src 'none'} forbids.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeadersWebFilter implements WebFilter {

    private static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";

    private final Map<String, String> headers;
    private final String webViewPolicy;

    SecurityHeadersWebFilter(GatewayServiceProperties properties, WebViewProperties webView) {
        this.headers = properties.securityHeaders();
        this.webViewPolicy = webView.contentSecurityPolicy();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        boolean webView = WebViewProperties.covers(exchange.getRequest().getPath().pathWithinApplication().value());
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders response = exchange.getResponse().getHeaders();
            headers.forEach(response::set);
            if (webView) {
                response.set(CONTENT_SECURITY_POLICY, webViewPolicy);
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }
}
