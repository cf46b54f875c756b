package dev.batchmesh.aggregator.query;

import dev.batchmesh.aggregator.config.AggregatorProperties;
import dev.batchmesh.aggregator.live.WindowUpdateHub;
import dev.batchmesh.aggregator.merge.AggregatorStreams;
import dev.batchmesh.aggregator.merge.MergeMetrics;
import dev.batchmesh.aggregator.merge.MergeTracing;
import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.core.contract.TenantHeader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The query API's answers to bad requests and to a store that is not running. Everything below the
 * controllers is real; Kafka Streams is simply never started, as on an instance still starting up.
 */
@WebFluxTest(controllers = {AggregatesController.class, InternalQueryController.class})
@Import({QueryParameters.class, LocalAggregates.class, ReplicaClient.class, QueryMetrics.class,
        AggregatesControllerTest.NotStartedStreams.class})
class AggregatesControllerTest {

    private static final String TENANT = "acme";

    @Autowired
    WebTestClient client;

    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AggregatorProperties.class)
    static class NotStartedStreams {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        Clock clock() {
            return Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        }

        @Bean
        WindowUpdateHub windowUpdateHub() {
            return new WindowUpdateHub();
        }

        @Bean
        WebClient replicaWebClient() {
            return WebClient.create();
        }

        @Bean
        AggregatorStreams aggregatorStreams(AggregatorProperties properties, MeterRegistry registry, WindowUpdateHub hub) {
            return new AggregatorStreams(properties, Map.of(), new MergeMetrics(registry), hub, registry, MergeTracing.NONE) {
                @Override
                public boolean isAutoStartup() {
                    return false;
                }
            };
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/v1/streams/latency/aggregates?key=k",
            "/v1/streams/latency/aggregates/live?key=k",
            "/v1/streams/latency/keys",
            "/v1/streams/latency/summary",
            "/internal/v1/streams/latency/keys?from=0&to=10",
            "/internal/v1/streams/latency/summary?from=0&to=10"})
    void shouldAnswerUnauthenticatedWithoutTenantHeader(String uri) {
        client.get().uri(URI.create(uri)).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(ProblemTypes.UNAUTHENTICATED.toString())
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.detail").isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a tenant", "x/y"})
    void shouldAnswerUnauthenticatedWhenTenantHeaderIsInvalid(String tenant) {
        client.get().uri("/v1/streams/latency/aggregates?key=k").header(TenantHeader.NAME, tenant).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.UNAUTHENTICATED.toString());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/v1/streams/latency/aggregates                                       | key",
            "/v1/streams/latency/aggregates?key=                                  | key",
            "/v1/streams/latency/aggregates?key=a%01b                             | key",
            "/v1/streams/latency/aggregates?key=k&from=yesterday                  | from",
            "/v1/streams/latency/aggregates?key=k&from=2026-11-22T10:00:00        | from",
            "/v1/streams/latency/aggregates?key=k&to=2026-13-40T10:00:00Z         | to",
            "/v1/streams/latency/aggregates?key=k&to=99999999999999999            | to",
            "/v1/streams/latency/aggregates?key=k&from=2000&to=1000               | from",
            "/v1/streams/latency/aggregates?key=k&from=1000&to=1000               | from",
            "/v1/streams/latency/aggregates?key=k&step=10s                        | step",
            "/v1/streams/latency/aggregates?key=k&step=PT0S                       | step",
            "/v1/streams/latency/aggregates?key=k&step=-PT10S                     | step",
            "/v1/streams/latency/aggregates?key=k&step=PT15S                      | step",
            "/v1/streams/latency/aggregates?key=k&step=PT10.5S                    | step",
            "/v1/streams/latency/aggregates?key=k&from=0&to=1000000000&step=PT10S | step",
            "/v1/streams/bad!name/aggregates?key=k                                | stream",
            "/v1/streams/bad!name/aggregates/live?key=k                           | stream",
            "/v1/streams/latency/aggregates/live                                  | key",
            "/v1/streams/latency/keys?from=later                                  | from",
            "/v1/streams/latency/keys?from=5&to=5                                 | from",
            "/v1/streams/bad!name/keys                                            | stream",
            "/v1/streams/latency/summary?to=noon                                  | to",
            "/v1/streams/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/summary | stream"})
    void shouldAnswerInvalidParameterNamingIt(String uri, String parameter) {
        client.get().uri(URI.create(uri)).header(TenantHeader.NAME, TENANT).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(ProblemTypes.INVALID_PARAMETER.toString())
                .jsonPath("$.parameter").isEqualTo(parameter)
                .jsonPath("$.detail").isNotEmpty();
    }

    @Test
    void shouldAnswerInvalidParameterForAKeyLongerThan256Bytes() {
        client.get().uri(b -> b.path("/v1/streams/latency/aggregates").queryParam("key", "é".repeat(129)).build())
                .header(TenantHeader.NAME, TENANT).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.parameter").isEqualTo("key");
    }

    @Test
    void shouldAnswerNotFoundAsProblemForUnknownPaths() {
        client.get().uri("/v1/streams/latency/unknown").header(TenantHeader.NAME, TENANT).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo(ProblemTypes.NOT_FOUND.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/v1/streams/latency/aggregates?key=k",
            "/v1/streams/latency/aggregates?key=k&from=2026-11-22T09:00:00Z&to=2026-11-22T11:00:00%2B01:00&step=PT1M",
            "/v1/streams/latency/aggregates?key=k&from=2026-11-22T09:00:00.0001z&to=2026-11-22T11:00:00+01:00",
            "/v1/streams/latency/aggregates?key=k&from=0&to=1000000000&step=PT1H",
            "/v1/streams/latency/aggregates/live?key=k",
            "/v1/streams/latency/keys",
            "/v1/streams/latency/summary?from=1700000000000",
            "/internal/v1/streams/latency/summary?from=0&to=10"})
    void shouldAnswerUnavailableWithRetryAfterWhileStreamsIsNotRunning(String uri) {
        client.get().uri(URI.create(uri)).header(TenantHeader.NAME, TENANT).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectBody()
                .jsonPath("$.type").isEqualTo(ProblemTypes.UNAVAILABLE.toString())
                .jsonPath("$.detail").isNotEmpty();
    }
}
