package dev.batchmesh.gateway.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The (method, path) pairs the routes in application.yml forward, read from the same route
 * definitions the gateway routes with, so there is one source of truth. Used to answer 405 rather
 * than 404 when a path exists with another method, and by the test that keeps the routes and
 * docs/openapi.yaml in step.
 */
@Component
public class RouteTable {

    private final List<RoutedOperation> operations;

    @Autowired
    RouteTable(GatewayProperties gatewayProperties) {
        this(gatewayProperties.getRoutes());
    }

    RouteTable(List<RouteDefinition> routes) {
        List<RoutedOperation> found = new ArrayList<>();
        for (RouteDefinition route : routes) {
            List<String> paths = argumentsOf(route, "Path");
            List<String> methods = argumentsOf(route, "Method");
            if (paths.isEmpty() || methods.isEmpty()) {
                throw new IllegalStateException("route " + route.getId()
                        + " must name its paths and methods: every public route is an explicit operation");
            }
            for (String path : paths) {
                for (String method : methods) {
                    found.add(new RoutedOperation(route.getId(), HttpMethod.valueOf(method.strip().toUpperCase()),
                            PathPatternParser.defaultInstance.parse(path.strip())));
                }
            }
        }
        this.operations = List.copyOf(found);
    }

    public List<RoutedOperation> operations() {
        return operations;
    }

    /** Methods some route forwards for this path; empty when no route has the path at all. */
    public Set<HttpMethod> allowedMethods(String requestPath) {
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (RoutedOperation operation : operations) {
            if (operation.matchesPath(requestPath)) {
                allowed.add(operation.method());
            }
        }
        return allowed;
    }

    private static List<String> argumentsOf(RouteDefinition route, String predicateName) {
        List<String> values = new ArrayList<>();
        for (PredicateDefinition predicate : route.getPredicates()) {
            if (predicate.getName().equalsIgnoreCase(predicateName)) {
                Collection<String> args = predicate.getArgs().values();
                // Shortcut form ("Path=/a,/b") yields one argument per value; the long form may
                // carry a comma-separated list in one argument.
                for (String arg : args) {
                    for (String value : arg.split(",")) {
                        if (!value.isBlank()) {
                            values.add(value.strip());
                        }
                    }
                }
            }
        }
        return values;
    }
}
