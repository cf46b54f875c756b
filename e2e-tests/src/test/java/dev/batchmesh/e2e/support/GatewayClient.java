package dev.batchmesh.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client of the public API as a user sees it: through the gateway, with an API key. Every answer is checked against docs/openapi.yaml. */
public final class GatewayClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final OpenApiContract contract;

    public GatewayClient(URI base, OpenApiContract contract) {
        this.base = base;
        this.contract = contract;
    }

    public record Answer(int status, String contentType, JsonNode body, HttpResponse<String> raw) {
    }

    public Answer ingest(String apiKey, String stream, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/streams/" + stream + "/records"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        authorize(request, apiKey);
        return send(request.build(), "post", "/v1/streams/{stream}/records");
    }

    public Answer get(String apiKey, String stream, String operation, Map<String, String> query) throws IOException, InterruptedException {
        String path = "/v1/streams/" + stream + "/" + operation;
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path + queryString(query)))
                .timeout(Duration.ofSeconds(30)).GET();
        authorize(request, apiKey);
        return send(request.build(), "get", "/v1/streams/{stream}/" + operation);
    }

    public HttpClient http() {
        return http;
    }

    public URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    private static void authorize(HttpRequest.Builder request, String apiKey) {
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
    }

    private Answer send(HttpRequest request, String method, String pathTemplate) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
        contract.assertConforms(method, pathTemplate, response.statusCode(), contentType, body);
        return new Answer(response.statusCode(), contentType, body, response);
    }

    public static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        return query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&", "?", ""));
    }

    public static Map<String, String> query(String... keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put(keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}
