package dev.batchmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.gateway.support.GatewayWithStubBackends;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A backend that hangs: calls hit the route's time limit and fail with 503, the breaker opens and
 * clients get 503s at once, the state shows in health and metrics, and the breaker closes again
 * once the backend answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "resilience4j.circuitbreaker.configs.default.sliding-window-size=4",
        "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=4",
        "resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state=2s",
        "resilience4j.circuitbreaker.configs.default.permitted-number-of-calls-in-half-open-state=1",
        "resilience4j.timelimiter.instances.aggregator-service.timeout-duration=500ms"})
class GatewayCircuitBreakerIntegrationTest extends GatewayWithStubBackends {

    private WebTestClient.ResponseSpec query() {
        return client.get().uri("/v1/streams/orders/summary").header(HttpHeaders.AUTHORIZATION, "Bearer dev-key").exchange();
    }

    @Test
    void shouldOpenOnAHangingBackendAnswerFast503sAndCloseWhenItRecovers() {
        aggregator.hang(true);
        for (int i = 0; i < 4; i++) {
            query().expectStatus().isEqualTo(503)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:batchmesh:problem:unavailable")
                    .jsonPath("$.detail").value(d -> assertThat((String) d).contains("did not answer within 500 ms"));
        }
        assertThat(aggregator.drain()).hasSize(4);

        query().expectStatus().isEqualTo(503).expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "2")
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("stopped calling"));
        assertThat(aggregator.drain()).as("an open breaker does not call the backend").isEmpty();
        management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(body -> assertThat(body).containsPattern(
                        "resilience4j_circuitbreaker_state\\{[^}]*name=\"aggregator-service\"[^}]*state=\"open\"[^}]*\\} 1\\.0"));
        management.get().uri("/actuator/health").exchange().expectBody()
                .jsonPath("$.components.circuitBreakers.details.aggregator-service.details.state").isEqualTo("OPEN");
        // other routes have breakers of their own
        client.post().uri("/v1/streams/orders/records").header(HttpHeaders.AUTHORIZATION, "Bearer dev-key")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("[{\"key\":\"k\",\"value\":1}]")
                .exchange().expectStatus().isAccepted();

        aggregator.hang(false);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> query().expectStatus().isOk());
        management.get().uri("/actuator/health").exchange().expectBody()
                .jsonPath("$.components.circuitBreakers.details.aggregator-service.details.state").isEqualTo("CLOSED");
    }
}
