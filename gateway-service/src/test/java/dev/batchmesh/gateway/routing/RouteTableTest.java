package dev.batchmesh.gateway.routing;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RouteTableTest {

    private static RouteDefinition route(String id, String... predicates) {
        RouteDefinition route = new RouteDefinition();
        route.setId(id);
        route.setPredicates(java.util.Arrays.stream(predicates).map(PredicateDefinition::new).toList());
        return route;
    }

    private final RouteTable table = new RouteTable(List.of(
            route("batcher-service", "Path=/v1/streams/{stream}/records", "Method=POST"),
            route("aggregator-service", "Path=/v1/streams/{stream}/aggregates,/v1/streams/{stream}/keys", "Method=GET")));

    @Test
    void shouldExpandEveryPathAndMethodOfARoute() {
        assertThat(table.operations()).extracting(op -> op.method().name() + " " + op.path().getPatternString())
                .containsExactly("POST /v1/streams/{stream}/records", "GET /v1/streams/{stream}/aggregates", "GET /v1/streams/{stream}/keys");
    }

    @Test
    void shouldReportTheMethodsOfAMatchingPath() {
        assertThat(table.allowedMethods("/v1/streams/orders/records")).containsExactly(HttpMethod.POST);
        assertThat(table.allowedMethods("/v1/streams/orders/keys")).containsExactly(HttpMethod.GET);
    }

    @Test
    void shouldReportNoMethodsForPathsNoRouteHas() {
        assertThat(table.allowedMethods("/v1/streams/orders")).isEmpty();
        assertThat(table.allowedMethods("/v1/streams/orders/records/")).isEmpty();
        assertThat(table.allowedMethods("/internal/v1/streams/orders/records")).isEmpty();
    }

    @Test
    void shouldRefuseARouteWithoutExplicitMethods() {
        assertThatIllegalStateException()
                .isThrownBy(() -> new RouteTable(List.of(route("open", "Path=/v1/**"))))
                .withMessageContaining("open");
    }
}
