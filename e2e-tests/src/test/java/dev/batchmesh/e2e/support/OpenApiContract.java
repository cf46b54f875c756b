package dev.batchmesh.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * docs/openapi.yaml as an executable contract: every answer the tests receive must be described
 * there (path, method, status, media type) and its body must validate against the described
 * schema; {@link #assertEveryOperationExercised()} then fails if the description lists an
 * operation no test reached with a success status.
 */
public final class OpenApiContract {

    private final JsonNode spec;
    private final String schemaDefs;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    private final Set<String> exercised = ConcurrentHashMap.newKeySet();

    public OpenApiContract(Path file) throws Exception {
        this.spec = YAMLMapper.builder().build().readTree(Files.readString(file));
        // OpenAPI 3.1 schemas are JSON Schema 2020-12; move components/schemas under $defs so refs resolve.
        String defs = GatewayClient.JSON.writeValueAsString(spec.path("components").path("schemas"));
        this.schemaDefs = defs.replace("#/components/schemas/", "#/$defs/");
    }

    public static OpenApiContract load() throws Exception {
        return new OpenApiContract(Path.of(ServiceProcess.requiredProperty("batchmesh.openapi")));
    }

    public void assertConforms(String method, String pathTemplate, int status, String contentType, JsonNode body) {
        JsonNode operation = spec.path("paths").path(pathTemplate).path(method);
        if (operation.isMissingNode()) {
            fail("docs/openapi.yaml does not describe %s %s", method.toUpperCase(), pathTemplate);
        }
        JsonNode response = resolve(operation.path("responses").path(Integer.toString(status)));
        if (response.isMissingNode()) {
            fail("docs/openapi.yaml does not describe status %d of %s %s (body: %s)", status, method.toUpperCase(), pathTemplate, body);
        }
        if (status >= 200 && status < 300) {
            exercised.add(method + " " + pathTemplate);
        }
        if (body == null) {
            return;
        }
        String mediaType = contentType.split(";")[0].trim();
        JsonNode media = response.path("content").path(mediaType);
        if (media.isMissingNode()) {
            fail("docs/openapi.yaml does not describe %s for status %d of %s %s", mediaType, status, method.toUpperCase(), pathTemplate);
        }
        validate(method + " " + pathTemplate + " " + status + " " + mediaType, media.path("schema"), body);
    }

    /** Follows a local {@code $ref} such as {@code #/components/responses/BadRequest}. */
    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.path("$ref");
        if (ref.isString() && ref.asString().startsWith("#/")) {
            return resolve(spec.at(ref.asString().substring(1)));
        }
        return node;
    }

    /** Validates {@code body} against the schema the description gives for a server-sent event's data. */
    public void assertEventConforms(String pathTemplate, JsonNode data) {
        JsonNode schema = spec.path("paths").path(pathTemplate).path("get").path("responses").path("200")
                .path("content").path("text/event-stream").path("x-sse-events").path("window");
        if (schema.isMissingNode()) {
            fail("docs/openapi.yaml does not describe the window event of %s (x-sse-events.window)", pathTemplate);
        }
        exercised.add("get " + pathTemplate);
        validate("event of " + pathTemplate, schema, data);
    }

    private void validate(String context, JsonNode schemaNode, JsonNode body) {
        String schemaJson = GatewayClient.JSON.writeValueAsString(schemaNode).replace("#/components/schemas/", "#/$defs/");
        Schema schema = compiled.computeIfAbsent(schemaJson, json -> registry.getSchema(
                "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"$defs\":" + schemaDefs
                        + ",\"allOf\":[" + json + "]}", InputFormat.JSON));
        List<Error> errors = schema.validate(body);
        assertThat(errors).as("%s: body %s does not match docs/openapi.yaml", context, abbreviate(body)).isEmpty();
    }

    public void assertEveryOperationExercised() {
        Set<String> described = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").properties().iterator(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : List.of("get", "post", "put", "delete", "patch")) {
                if (path.getValue().has(method)) {
                    described.add(method + " " + path.getKey());
                }
            }
        }
        described.removeIf(op -> op.endsWith("/v1/openapi.yaml"));
        assertThat(exercised).as("operations of docs/openapi.yaml reached with a 2xx by the end-to-end tests")
                .containsAll(described);
    }

    private static String abbreviate(JsonNode body) {
        String s = String.valueOf(body);
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }
}
