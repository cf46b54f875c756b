package dev.batchmesh.bench.drain;

import dev.batchmesh.core.contract.TenantHeader;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks the aggregator's query API directly, as the gateway would after authenticating: the tenant
 * travels in {@link TenantHeader#NAME}. Answers of 503 (Kafka Streams restoring or rebalancing) and
 * refused connections are retried until the patience runs out.
 */
final class AggregatorQuery {

    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final URI base;
    private final Duration patience;

    AggregatorQuery(URI base, Duration patience) {
        this.base = base;
        this.patience = patience;
    }

    /** The count of records the aggregator holds for the stream over windows starting in {@code [fromMillis, toMillis)}. */
    long count(String tenant, String stream, long fromMillis, long toMillis) {
        URI uri = base.resolve("/v1/streams/" + URLEncoder.encode(stream, StandardCharsets.UTF_8) + "/summary?from="
                + Instant.ofEpochMilli(fromMillis) + "&to=" + Instant.ofEpochMilli(toMillis));
        HttpRequest request = HttpRequest.newBuilder(uri).header(TenantHeader.NAME, tenant).timeout(Duration.ofSeconds(30)).GET().build();
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            String problem;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode summary = json.readTree(response.body());
                    return summary.get("count").asLong();
                }
                problem = "HTTP " + response.statusCode() + ": " + response.body();
                if (response.statusCode() != 503) {
                    throw new IllegalStateException("summary query " + uri + " answered " + problem);
                }
            } catch (IOException e) {
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("summary query " + uri + " failed for " + patience + ": " + problem);
            }
            try {
                Thread.sleep(RETRY_PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
