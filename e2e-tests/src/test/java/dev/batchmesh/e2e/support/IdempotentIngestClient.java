package dev.batchmesh.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A client that sends a request under one {@code Idempotency-Key} until it is acknowledged, the way
 * the guarantees ask clients to: any answer that is not a 202 or a definite 4xx (an error, 5xx,
 * timeout, refused connection) is retried with the SAME key and body after a capped exponential
 * backoff (or the server's {@code Retry-After}); a 409 (the first attempt is still in flight) is
 * retried later too. Attempts are bounded, so a request that can never be acknowledged ends as
 * {@link Outcome#gaveUp()} rather than hanging the test.
 */
public final class IdempotentIngestClient {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /**
     * @param status  the last status (0: no answer at all)
     * @param accepted records the 202 said it accepted (-1 without a 202)
     */
    public record Outcome(String idempotencyKey, int status, int accepted, int attempts, String lastProblem) {
        public boolean acknowledged() {
            return status == 202;
        }

        public boolean gaveUp() {
            return status != 202 && (status == 0 || status >= 500 || status == 409);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI base;
    private final String apiKey;
    private final int maxAttempts;
    private final Duration requestTimeout;
    private final Map<Integer, AtomicInteger> statusCounts = new ConcurrentHashMap<>();

    public IdempotentIngestClient(URI gateway, String apiKey, int maxAttempts, Duration requestTimeout) {
        this.base = gateway;
        this.apiKey = apiKey;
        this.maxAttempts = maxAttempts;
        this.requestTimeout = requestTimeout;
    }

    public static String newKey() {
        return UUID.randomUUID().toString();
    }

    /** Sends until acknowledged or definitely rejected, at most {@code maxAttempts} times. */
    public Outcome send(String stream, String idempotencyKey, String contentType, String body) throws InterruptedException {
        int status = 0;
        String problem = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long waitMillis = Math.min(5_000, 100L << Math.min(attempt, 6));
            try {
                HttpResponse<String> response = once(stream, idempotencyKey, contentType, body);
                status = response.statusCode();
                statusCounts.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                if (status == 202) {
                    JsonNode answer = GatewayClient.JSON.readTree(response.body());
                    return new Outcome(idempotencyKey, status, answer.path("accepted").asInt(-1), attempt, null);
                }
                problem = response.body();
                if (status < 500 && status != 409 && status != 429) {
                    // a definite answer about this body: retrying it cannot change the outcome
                    return new Outcome(idempotencyKey, status, -1, attempt, problem);
                }
                waitMillis = Math.max(waitMillis, retryAfterMillis(response));
            } catch (IOException e) {
                // timeout, refused or reset connection: the request may or may not have been taken
                status = 0;
                problem = e.toString();
                statusCounts.computeIfAbsent(0, s -> new AtomicInteger()).incrementAndGet();
            }
            TimeUnit.MILLISECONDS.sleep(waitMillis);
        }
        return new Outcome(idempotencyKey, status, -1, maxAttempts, problem);
    }

    /** One attempt, no retry: for replays and conflicts the test provokes on purpose. */
    public HttpResponse<String> once(String stream, String idempotencyKey, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/streams/" + stream + "/records"))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", contentType)
                .header(IDEMPOTENCY_KEY, idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** How many attempts ended with each status (0: no answer), for the report of a failure. */
    public Map<Integer, Integer> statusCounts() {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        statusCounts.forEach((status, count) -> out.put(status, count.get()));
        return out;
    }

    private static long retryAfterMillis(HttpResponse<String> response) {
        try {
            return response.headers().firstValue("Retry-After").map(s -> Long.parseLong(s.trim()) * 1_000).orElse(0L);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
