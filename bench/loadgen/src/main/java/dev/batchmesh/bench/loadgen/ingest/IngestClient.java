package dev.batchmesh.bench.loadgen.ingest;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP/1.1 to the gateway through several JDK clients used in turn: each client has one selector
 * thread, so spreading requests over a few keeps that thread from becoming the generator's limit.
 * The number of requests in flight (hence of connections) is bounded by the caller.
 */
public final class IngestClient implements AutoCloseable {

    private final List<HttpClient> clients;
    private final AtomicInteger nextClient = new AtomicInteger();
    private final URI gateway;
    private final String authorization;
    private final Duration requestTimeout;

    public IngestClient(URI gateway, String apiKey, int httpClients, Duration requestTimeout) {
        this.gateway = gateway;
        this.authorization = "Bearer " + apiKey;
        this.requestTimeout = requestTimeout;
        List<HttpClient> built = new ArrayList<>();
        for (int i = 0; i < Math.max(1, httpClients); i++) {
            built.add(HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build());
        }
        this.clients = List.copyOf(built);
    }

    public URI recordsUri(String stream) {
        return gateway.resolve("/v1/streams/" + encode(stream) + "/records");
    }

    public URI aggregatesUri(String stream, String key, long fromMillis, long toMillis) {
        return gateway.resolve("/v1/streams/" + encode(stream) + "/aggregates?key=" + encode(key)
                + "&from=" + fromMillis + "&to=" + toMillis);
    }

    /** Posts a body; the future completes with the status code, or exceptionally on a transport error or timeout. */
    public CompletableFuture<Integer> post(URI uri, String contentType, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client().sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
    }

    public CompletableFuture<HttpResponse<String>> get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .GET()
                .build();
        return client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpClient client() {
        return clients.get(Math.floorMod(nextClient.getAndIncrement(), clients.size()));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        clients.forEach(HttpClient::close);
    }
}
