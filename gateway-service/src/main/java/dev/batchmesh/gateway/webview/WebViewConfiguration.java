package dev.batchmesh.gateway.webview;

import java.net.URI;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves the page from the classpath folder {@code web-view/} at {@link WebViewProperties#PAGE_PATH}
 * and webjars at {@link WebViewProperties#WEBJARS_PATH}. With webjars-locator-lite on the classpath
 * the resource chain resolves version-less webjar paths, so the page never names a library version.
 * These are the only static paths: Boot's default mappings stay off (application.yml).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebViewProperties.class)
class WebViewConfiguration implements WebFluxConfigurer {

    private static final String PAGE_FOLDER = "classpath:/web-view/";
    private static final ClassPathResource INDEX = new ClassPathResource("web-view/index.html");
    private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(WebViewProperties.PAGE_PATH + "**").addResourceLocations(PAGE_FOLDER);
        registry.addResourceHandler(WebViewProperties.WEBJARS_PATH + "**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .resourceChain(true);
    }

    /** The folder itself answers with the page; without the trailing slash, a redirect keeps relative links working. */
    @Bean
    RouterFunction<ServerResponse> webViewPageRoute() {
        return RouterFunctions.route()
                .GET(WebViewProperties.PAGE_PATH, request -> ServerResponse.ok().contentType(HTML).bodyValue(INDEX))
                .GET("/live", request -> ServerResponse.status(HttpStatus.MOVED_PERMANENTLY).location(URI.create(WebViewProperties.PAGE_PATH)).build())
                .build();
    }
}
