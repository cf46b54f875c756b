package dev.batchmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.gateway.support.GatewayWithStubBackends;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** Oversized targets, headers and bodies, and stalled bodies, are refused at the edge with problem details. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gateway.limits.max-uri-length=200",
        "gateway.limits.max-header-size=2KB",
        "gateway.limits.max-body-size=1KB",
        "gateway.limits.body-stall-timeout=PT1S"})
class GatewayRequestLimitsIntegrationTest extends GatewayWithStubBackends {

    @Test
    void shouldAnswer414ProblemForATooLongTarget() {
        client.get().uri("/v1/streams/s/aggregates?key=" + "k".repeat(300)).header(HttpHeaders.AUTHORIZATION, "Bearer dev-key")
                .exchange().expectStatus().isEqualTo(414)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:batchmesh:problem:payload-too-large");
        assertThat(aggregator.drain()).isEmpty();
    }

    @Test
    void shouldAnswer431ProblemForTooLargeHeaders() {
        client.get().uri("/v1/streams/s/keys").header(HttpHeaders.AUTHORIZATION, "Bearer dev-key").header("X-Padding", "p".repeat(3000))
                .exchange().expectStatus().isEqualTo(431)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(aggregator.drain()).isEmpty();
    }

    @Test
    void shouldAnswer413ProblemForADeclaredBodyOverTheLimitWithoutForwardingIt() {
        client.post().uri("/v1/streams/s/records").header(HttpHeaders.AUTHORIZATION, "Bearer dev-key")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("[" + "{\"key\":\"k\",\"value\":1},".repeat(100) + "{}]")
                .exchange().expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.type").isEqualTo("urn:batchmesh:problem:payload-too-large");
        assertThat(batcher.drain()).isEmpty();
    }

    @Test
    void shouldCutOffAChunkedBodyOverTheLimitWith413() throws Exception {
        String answer = rawExchange(out -> {
            out.write(chunk("[" + "{\"key\":\"k\",\"value\":1},".repeat(30)));
            out.write(chunk("{\"key\":\"k\",\"value\":1},".repeat(30)));
            out.write(chunk("{}]"));
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        assertThat(answer).startsWith("HTTP/1.1 413").contains("payload-too-large");
    }

    @Test
    void shouldAnswer408ProblemWhenTheBodyStalls() throws Exception {
        String answer = rawExchange(out -> {
            out.write(chunk("[{\"key\":\"k\","));
            out.flush();
            Thread.sleep(3_000);
        });
        assertThat(answer).startsWith("HTTP/1.1 408").contains("stalled");
    }

    private interface BodyWriter {
        void write(OutputStream out) throws Exception;
    }

    private static byte[] chunk(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return (Integer.toHexString(bytes.length) + "\r\n" + data + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A POST with a chunked body written by hand, so the test controls every byte and pause. */
    private String rawExchange(BodyWriter body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/streams/s/records HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer dev-key\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                body.write(out);
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the gateway may answer and close before the whole body is written
            }
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            StringBuilder answer = new StringBuilder();
            int n;
            while (answer.indexOf("}") < 0 && (n = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            return answer.toString();
        }
    }
}
