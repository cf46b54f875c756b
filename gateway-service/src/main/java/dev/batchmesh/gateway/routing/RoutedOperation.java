package dev.batchmesh.gateway.routing;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;

/** One method and path template that a gateway route forwards, such as GET /v1/streams/{stream}/keys. */
public record RoutedOperation(String routeId, HttpMethod method, PathPattern path) {

    public boolean matchesPath(String requestPath) {
        return path.matches(PathContainer.parsePath(requestPath));
    }
}
