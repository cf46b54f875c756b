package dev.batchmesh.gateway.api;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves the public API description at {@code GET /v1/openapi.yaml}, without authentication. The
 * build copies docs/openapi.yaml onto the classpath, so the served file is always the documented
 * one. Functional routes are consulted before the gateway's routes.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocumentRoutes {

    static final String PATH = "/v1/openapi.yaml";
    private static final String RESOURCE = "public-api/openapi.yaml";
    private static final MediaType APPLICATION_YAML = MediaType.parseMediaType("application/yaml;charset=UTF-8");

    @Bean
    RouterFunction<ServerResponse> openApiDocumentRoute() throws IOException {
        byte[] document = readDocument();
        return RouterFunctions.route()
                .GET(PATH, request -> ServerResponse.ok()
                        .contentType(APPLICATION_YAML)
                        .cacheControl(CacheControl.noCache())
                        .bodyValue(document))
                .build();
    }

    private static byte[] readDocument() throws IOException {
        ClassPathResource resource = new ClassPathResource(RESOURCE);
        if (!resource.exists()) {
            throw new IllegalStateException(RESOURCE + " is missing from the classpath: the Maven build copies it from"
                    + " docs/openapi.yaml (process-resources); run the build rather than the IDE's compiler alone");
        }
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        }
    }
}
