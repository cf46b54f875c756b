package dev.batchmesh.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;

import dev.batchmesh.core.contract.ProblemTypes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Backends that refuse connections: the gateway answers 503 problems, never a 500. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class GatewayBackendDownIntegrationTest {

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) throws IOException {
        String nobodyListens = "http://127.0.0.1:" + closedPort();
        registry.add("gateway.backends.batcher-uri", () -> nobodyListens);
        registry.add("gateway.backends.aggregator-uri", () -> nobodyListens);
    }

    /** A port that was just free: nothing listens on it while the test runs. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @LocalServerPort
    int port;

    WebTestClient client;

    @BeforeEach
    void setUp() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(10)).build();
    }

    @ParameterizedTest
    @CsvSource({
            "POST, /v1/streams/orders/records",
            "GET, /v1/streams/orders/aggregates?key=k",
            "GET, /v1/streams/orders/aggregates/live?key=k",
            "GET, /v1/streams/orders/summary"})
    void shouldAnswer503ProblemWithRetryAfterWhenTheBackendRefusesConnections(String method, String path) {
        var request = client.method(HttpMethod.valueOf(method)).uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-key");
        if (method.equals("POST")) {
            request.contentType(MediaType.APPLICATION_JSON).bodyValue("[{\"key\":\"k\",\"value\":1}]");
        }
        byte[] body = request.exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "2")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo(ProblemTypes.UNAVAILABLE.toString())
                .jsonPath("$.status").isEqualTo(503)
                .returnResult().getResponseBody();

        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("Exception", "127.0.0.1", "\tat ", "trace");
    }

    @Test
    void theWarningAboutTheUnavailableBackendCarriesTheRequestsTraceId(CapturedOutput output) {
        String traceId = UUID.randomUUID().toString().replace("-", "");

        client.post().uri("/v1/streams/orders/records")
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-key")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("[{\"key\":\"k\",\"value\":1}]")
                .exchange()
                .expectStatus().isEqualTo(503);

        assertThat(output.getOut().lines().filter(line -> line.contains("unavailable") && line.contains("ProblemErrorHandler")))
                .anySatisfy(line -> assertThat(line).contains("\"traceId\":\"" + traceId + "\""));
    }
}
