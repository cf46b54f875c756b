package dev.batchmesh.gateway;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.core.contract.TenantHeader;
import dev.batchmesh.gateway.support.GatewayWithStubBackends;
import dev.batchmesh.gateway.support.StubBackend;
import dev.batchmesh.gateway.support.StubBackend.ReceivedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway on a random port in front of two real stub backends on random ports. */
class GatewayRoutingIntegrationTest extends GatewayWithStubBackends {

    private static final String DEV_KEY = "Bearer dev-key";

    private URI gateway(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    @Test
    void shouldRouteIngestToBatcherWithPathBodyAndTenant() throws Exception {
        String body = "[{\"key\":\"checkout\",\"value\":1.5}]";

        client.post().uri(gateway("/v1/streams/orders.v1/records"))
                .header(HttpHeaders.AUTHORIZATION, DEV_KEY)
                .header("Idempotency-Key", "req-1")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isAccepted()
                .expectBody().json("{\"backend\":\"batcher\"}");

        ReceivedRequest seen = batcher.takeRequest();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.uri()).isEqualTo("/v1/streams/orders.v1/records");
        assertThat(seen.body()).isEqualTo(body);
        assertThat(seen.headers().getValuesAsList(TenantHeader.NAME)).containsExactly("dev");
        assertThat(seen.headers().getFirst("Idempotency-Key")).isEqualTo("req-1");
        assertThat(aggregator.drain()).isEmpty();
    }

    static Stream<String> queryPaths() {
        return Stream.of(
                "/v1/streams/orders/aggregates?key=a%20b%2Bc&from=2026-11-22T10:00:00Z&to=1795860000000&step=PT1M",
                "/v1/streams/orders/keys?from=1795860000000",
                "/v1/streams/orders/summary?from=2026-11-22T10:00:00Z&to=2026-11-22T11:00:00Z");
    }

    @ParameterizedTest
    @MethodSource("queryPaths")
    void shouldRouteQueriesToAggregatorWithPathAndQueryIntact(String pathAndQuery) throws Exception {
        client.get().uri(gateway(pathAndQuery))
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-key-2")
                .exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"backend\":\"aggregator\"}");

        ReceivedRequest seen = aggregator.takeRequest();
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.uri()).isEqualTo(pathAndQuery);
        assertThat(seen.headers().getValuesAsList(TenantHeader.NAME)).containsExactly("dev2");
        assertThat(batcher.drain()).isEmpty();
    }

    @Test
    void shouldAnswer429WithRetryAfterAndRateLimitHeadersToATenantOverItsRequestRateWhileAnotherIsUnaffected() {
        for (int i = 0; i < 3; i++) {
            client.get().uri(gateway("/v1/streams/orders/keys")).header(HttpHeaders.AUTHORIZATION, "Bearer few-requests-key")
                    .exchange().expectStatus().isOk().expectHeader().exists("RateLimit");
        }
        client.get().uri(gateway("/v1/streams/orders/keys")).header(HttpHeaders.AUTHORIZATION, "Bearer few-requests-key")
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectHeader().valueMatches("RateLimit", "\"requests\";r=0;t=\\d+")
                .expectHeader().valueMatches("RateLimit-Policy", "\"requests\";q=3;w=\\d+")
                .expectBody().jsonPath("$.type").isEqualTo("urn:batchmesh:problem:rate-limited");
        assertThat(aggregator.drain()).hasSize(3);

        client.get().uri(gateway("/v1/streams/orders/keys")).header(HttpHeaders.AUTHORIZATION, DEV_KEY)
                .exchange().expectStatus().isOk();
        aggregator.drain();
    }

    @Test
    void shouldAnswer429ToATenantThatOverdrewItsRecordBudgetUntilItRefills() {
        String tenRecords = "[" + String.join(",", java.util.Collections.nCopies(10, "{\"key\":\"k\",\"value\":1}")) + "]";
        client.post().uri(gateway("/v1/streams/orders/records")).header(HttpHeaders.AUTHORIZATION, "Bearer few-records-key")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(tenRecords)
                .exchange().expectStatus().isAccepted();
        client.post().uri(gateway("/v1/streams/orders/records")).header(HttpHeaders.AUTHORIZATION, "Bearer few-records-key")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("[{\"key\":\"k\",\"value\":1}]")
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.detail").value(d -> assertThat((String) d).contains("records"));
        assertThat(batcher.drain()).hasSize(1);
        // queries are not records: the same tenant may still read
        client.get().uri(gateway("/v1/streams/orders/keys")).header(HttpHeaders.AUTHORIZATION, "Bearer few-records-key")
                .exchange().expectStatus().isOk();
        aggregator.drain();
    }

    @Test
    void shouldRetryAQueryWhileTheAggregatorIsBrieflyUnavailable() {
        aggregator.failNext(2);
        client.get().uri(gateway("/v1/streams/orders/keys")).header(HttpHeaders.AUTHORIZATION, DEV_KEY)
                .exchange().expectStatus().isOk();
        assertThat(aggregator.drain()).hasSize(3);
    }

    @Test
    void shouldGiveUpAfterTwoRetriesAndPassTheBackendsProblemOn() {
        aggregator.failNext(5);
        client.get().uri(gateway("/v1/streams/orders/keys")).header(HttpHeaders.AUTHORIZATION, DEV_KEY)
                .exchange().expectStatus().isEqualTo(503).expectHeader().exists(HttpHeaders.RETRY_AFTER);
        assertThat(aggregator.drain()).hasSize(3);
        aggregator.failNext(0);
    }

    @Test
    void shouldNeverRetryIngest() {
        batcher.failNext(1);
        client.post().uri(gateway("/v1/streams/orders/records")).header(HttpHeaders.AUTHORIZATION, DEV_KEY)
                .header("Idempotency-Key", "once").contentType(MediaType.APPLICATION_JSON).bodyValue("[{\"key\":\"k\",\"value\":1}]")
                .exchange().expectStatus().isEqualTo(503);
        assertThat(batcher.drain()).hasSize(1);
    }

    @Test
    void shouldSetSecurityHeadersOnRoutedAnswersAndOnTheGatewaysOwnProblems() {
        for (var answer : List.of(
                client.get().uri(gateway("/v1/streams/orders/keys")).header(HttpHeaders.AUTHORIZATION, DEV_KEY).exchange().expectStatus().isOk(),
                client.get().uri(gateway("/v1/streams/orders/keys")).exchange().expectStatus().isUnauthorized(),
                client.get().uri(gateway("/nowhere")).exchange().expectStatus().isNotFound())) {
            answer.expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("X-Frame-Options", "DENY")
                    .expectHeader().valueEquals("Cache-Control", "no-store")
                    .expectHeader().valueEquals("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        }
        aggregator.drain();
    }

    @Test
    void shouldAnswerCorsPreflightForAnAllowedOriginWithoutCredentials() {
        client.options().uri(gateway("/v1/streams/orders/records"))
                .header(HttpHeaders.ORIGIN, "https://dash.example.com")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type,idempotency-key")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://dash.example.com");
        assertThat(batcher.drain()).isEmpty();
    }

    @Test
    void shouldRefuseCorsPreflightFromAnOriginThatIsNotListed() {
        client.options().uri(gateway("/v1/streams/orders/aggregates"))
                .header(HttpHeaders.ORIGIN, "https://evil.example.net")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    @Test
    void shouldReplaceSpoofedTenantHeadersInAnyCaseAndDropTheApiKeyAndInternalHeaders() throws Exception {
        client.get().uri(gateway("/v1/streams/orders/keys"))
                .header(HttpHeaders.AUTHORIZATION, DEV_KEY)
                .header("X-Batchmesh-Tenant", "dev2")
                .header("x-BATCHMESH-tenant", "victim")
                .header("X-Batchmesh-Forwarded", "1")
                .exchange()
                .expectStatus().isOk();

        ReceivedRequest seen = aggregator.takeRequest();
        assertThat(seen.headers().getValuesAsList(TenantHeader.NAME)).containsExactly("dev");
        assertThat(seen.headers().containsHeader(HttpHeaders.AUTHORIZATION)).isFalse();
        assertThat(seen.headers().containsHeader("X-Batchmesh-Forwarded")).isFalse();
    }

    static Stream<Arguments> badCredentials() {
        return Stream.of(
                Arguments.of("missing", null),
                Arguments.of("unknown key", "Bearer not-a-key"),
                Arguments.of("key of another case", "Bearer DEV-KEY"),
                Arguments.of("empty bearer", "Bearer "),
                Arguments.of("other scheme", "Basic ZGV2OmRldi1rZXk="),
                Arguments.of("bare key", "dev-key"),
                Arguments.of("key with trailing garbage", "Bearer dev-key extra"),
                Arguments.of("revoked key", "Bearer revoked-key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCredentials")
    void shouldAnswer401ProblemWithChallengeWhenCredentialsAreBad(String what, String authorization) {
        var request = client.get().uri(gateway("/v1/streams/orders/keys"));
        if (authorization != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        request.exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(ProblemTypes.UNAUTHENTICATED.toString())
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.detail").isNotEmpty();

        assertThat(aggregator.drain()).as("an unauthenticated request must not reach the backend").isEmpty();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theLineAboutARevokedKeyCarriesTheRequestsTraceId(CapturedOutput output) {
        String traceId = UUID.randomUUID().toString().replace("-", "");

        client.get().uri(gateway("/v1/streams/orders/keys"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer revoked-key")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .exchange()
                .expectStatus().isUnauthorized();

        assertThat(output.getOut().lines().filter(line -> line.contains("Refused revoked API key")))
                .anySatisfy(line -> assertThat(line).contains("\"traceId\":\"" + traceId + "\""));
    }

    @Test
    void shouldAnswer401WhenTwoAuthorizationHeadersAreSent() {
        client.post().uri(gateway("/v1/streams/orders/records"))
                .header(HttpHeaders.AUTHORIZATION, DEV_KEY, "Bearer dev-key-2")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[]")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.UNAUTHENTICATED.toString());
        assertThat(batcher.drain()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/actuator/health", "/actuator/prometheus", "/internal/v1/streams/orders/partials",
            "/v1/streams/orders", "/v1/streams/orders/records/extra", "/v1/streams/orders/aggregates/", "/"})
    void shouldAnswer404ProblemForPathsThatAreNotRouted(String path) {
        client.get().uri(gateway(path))
                .header(HttpHeaders.AUTHORIZATION, DEV_KEY)
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(ProblemTypes.NOT_FOUND.toString())
                .jsonPath("$.status").isEqualTo(404);

        assertThat(batcher.drain()).isEmpty();
        assertThat(aggregator.drain()).isEmpty();
    }

    @Test
    void shouldAnswer405ProblemWithAllowWhenThePathExistsWithAnotherMethod() {
        client.method(HttpMethod.DELETE).uri(gateway("/v1/streams/orders/records"))
                .header(HttpHeaders.AUTHORIZATION, DEV_KEY)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().valueEquals(HttpHeaders.ALLOW, "POST")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.METHOD_NOT_ALLOWED.toString());

        client.post().uri(gateway("/v1/streams/orders/summary"))
                .header(HttpHeaders.AUTHORIZATION, DEV_KEY)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().valueEquals(HttpHeaders.ALLOW, "GET");

        assertThat(batcher.drain()).isEmpty();
        assertThat(aggregator.drain()).isEmpty();
    }

    @Test
    void shouldPassBackendProblemsThroughUnchanged() {
        byte[] body = client.post().uri(gateway("/v1/streams/rejected/records"))
                .header(HttpHeaders.AUTHORIZATION, DEV_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"key\":\"\",\"value\":1}]")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody();

        assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(StubBackend.REJECTION);
    }

    @Test
    void shouldStreamServerSentEventsAsTheyArrive() {
        Sinks.Many<String> windows = Sinks.many().unicast().onBackpressureBuffer();
        aggregator.streamLiveEvents(windows.asFlux());
        String first = "{\"start\":\"2026-11-22T10:00:00Z\",\"count\":1}";
        String second = "{\"start\":\"2026-11-22T10:00:00Z\",\"count\":2}";

        Flux<ServerSentEvent<String>> events = WebClient.create().get()
                .uri(gateway("/v1/streams/orders/aggregates/live?key=checkout"))
                .header(HttpHeaders.AUTHORIZATION, DEV_KEY)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<>() {
                });

        // The second event is only produced after the first has reached the client, and the
        // stream only completes after that: buffering anywhere on the way would stall this.
        StepVerifier.create(events)
                .then(() -> windows.tryEmitNext(first).orThrow())
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("window");
                    assertThat(event.data()).isEqualTo(first);
                })
                .then(() -> windows.tryEmitNext(second).orThrow())
                .assertNext(event -> assertThat(event.data()).isEqualTo(second))
                .then(() -> windows.tryEmitComplete().orThrow())
                .expectComplete()
                .verify(Duration.ofSeconds(15));
    }

    @Test
    void shouldServeTheOpenApiDocumentWithoutAuthentication() throws Exception {
        byte[] served = client.get().uri(gateway("/v1/openapi.yaml"))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("application/yaml"))
                .expectBody().returnResult().getResponseBody();

        assertThat(served).isEqualTo(Files.readAllBytes(Path.of("../docs/openapi.yaml")));
    }

    @Test
    void shouldExposeHealthAndPrometheusOnTheManagementPortOnly() {
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build();
        management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        management.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
    }
}
