package dev.batchmesh.gateway.routing;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the gateway's routes (application.yml, read the way the gateway reads them) and the public
 * contract (docs/openapi.yaml) in step: every routed operation is documented, every documented
 * operation is routed.
 */
class OpenApiContractTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private static Map<String, Object> spec;
    private static RouteTable routeTable;

    @BeforeAll
    static void load() throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of("../docs/openapi.yaml"))) {
            spec = new Yaml().load(reader);
        }
        StandardEnvironment environment = new StandardEnvironment();
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"));
        sources.forEach(environment.getPropertySources()::addLast);
        GatewayProperties gateway = Binder.get(environment)
                .bind("spring.cloud.gateway.server.webflux", GatewayProperties.class)
                .orElseThrow(() -> new AssertionError("application.yml has no spring.cloud.gateway.server.webflux"));
        routeTable = new RouteTable(gateway.getRoutes());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDocumentExactlyTheRoutedOperations() {
        Set<String> routed = new TreeSet<>();
        for (RoutedOperation operation : routeTable.operations()) {
            routed.add(operation.method().name() + " " + operation.path().getPatternString());
        }

        Set<String> documented = new TreeSet<>();
        paths().forEach((path, item) -> ((Map<String, Object>) item).keySet().stream()
                .filter(HTTP_METHODS::contains)
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));

        assertThat(routed).isNotEmpty();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(routed);
    }

    @Test
    void shouldRouteIngestToTheBatcherAndQueriesToTheAggregator() {
        for (RoutedOperation operation : routeTable.operations()) {
            String expectedRoute = operation.path().getPatternString().endsWith("/records") ? "batcher-service" : "aggregator-service";
            assertThat(operation.routeId()).as(operation.toString()).startsWith(expectedRoute);
        }
    }

    @Test
    void shouldDeclareOpenApi31WithBearerSecurityOnEveryOperation() {
        assertThat(spec.get("openapi")).isEqualTo("3.1.0");
        Map<String, Object> schemes = map(map(spec.get("components")).get("securitySchemes"));
        assertThat(map(schemes.get("bearerAuth"))).containsEntry("type", "http").containsEntry("scheme", "bearer");
        assertThat(spec.get("security")).isEqualTo(List.of(Map.of("bearerAuth", List.of())));
        paths().values().forEach(item -> map(item).forEach((method, operation) -> {
            if (HTTP_METHODS.contains(method)) {
                assertThat(map(operation)).as(method).doesNotContainKey("security");
            }
        }));
    }

    @Test
    void shouldListExactlyTheFieldsTheServicesReturn() {
        Map<String, Object> schemas = map(map(spec.get("components")).get("schemas"));
        List<String> stats = List.of("count", "sum", "min", "max", "mean", "stddev", "p50", "p90", "p95", "p99");

        assertClosedWithExactly(schemas, "Window", concat(List.of("start", "end"), stats));
        assertClosedWithExactly(schemas, "Summary", concat(List.of("stream", "from", "to"), stats));
        assertClosedWithExactly(schemas, "Aggregates", List.of("stream", "key", "step", "windows"));
        assertClosedWithExactly(schemas, "Keys", List.of("keys"));
        assertClosedWithExactly(schemas, "IngestAccepted", List.of("accepted"));
    }

    @SuppressWarnings("unchecked")
    private static void assertClosedWithExactly(Map<String, Object> schemas, String name, List<String> fields) {
        Map<String, Object> schema = map(schemas.get(name));
        assertThat(schema.get("additionalProperties")).as(name + " additionalProperties").isEqualTo(false);
        assertThat(map(schema.get("properties")).keySet()).as(name + " properties").containsExactlyInAnyOrderElementsOf(fields);
        assertThat((List<String>) schema.get("required")).as(name + " required").containsExactlyInAnyOrderElementsOf(fields);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static Map<String, Object> paths() {
        return map(spec.get("paths"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
