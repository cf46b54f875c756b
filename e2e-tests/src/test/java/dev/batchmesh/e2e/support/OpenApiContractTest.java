package dev.batchmesh.e2e.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The contract checker itself must catch a drift, or the end-to-end contract checks prove nothing. */
class OpenApiContractTest {

    private final OpenApiContract contract = OpenApiContract.load();

    OpenApiContractTest() throws Exception {
    }

    private static JsonNode json(String text) {
        return GatewayClient.JSON.readTree(text);
    }

    private static final String WINDOW = "{\"start\":\"2026-11-22T10:00:00Z\",\"end\":\"2026-11-22T10:00:10Z\",\"count\":3,\"sum\":6.0,"
            + "\"min\":1.0,\"max\":3.0,\"mean\":2.0,\"stddev\":1.0,\"p50\":2.0,\"p90\":3.0,\"p95\":3.0,\"p99\":3.0}";

    @Test
    void shouldAcceptTheDocumentedAnswer() {
        assertThatCode(() -> contract.assertConforms("get", "/v1/streams/{stream}/aggregates", 200, "application/json",
                json("{\"stream\":\"s\",\"key\":\"k\",\"step\":\"PT10S\",\"windows\":[" + WINDOW + "]}")))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRejectAnUndocumentedField() {
        assertThatThrownBy(() -> contract.assertConforms("get", "/v1/streams/{stream}/aggregates", 200, "application/json",
                json("{\"stream\":\"s\",\"key\":\"k\",\"step\":\"PT10S\",\"extra\":1,\"windows\":[]}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not match");
    }

    @Test
    void shouldRejectAWrongTypeInsideANestedWindow() {
        assertThatThrownBy(() -> contract.assertConforms("get", "/v1/streams/{stream}/aggregates", 200, "application/json",
                json("{\"stream\":\"s\",\"key\":\"k\",\"step\":\"PT10S\",\"windows\":[" + WINDOW.replace("\"count\":3", "\"count\":\"3\"") + "]}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not match");
    }

    @Test
    void shouldRejectAnUndocumentedStatusAndPath() {
        assertThatThrownBy(() -> contract.assertConforms("get", "/v1/streams/{stream}/aggregates", 418, "application/json", json("{}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("status 418");
        assertThatThrownBy(() -> contract.assertConforms("delete", "/v1/streams/{stream}/aggregates", 200, "application/json", json("{}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not describe");
    }

    @Test
    void shouldRejectAProblemMissingItsType() {
        assertThatThrownBy(() -> contract.assertConforms("post", "/v1/streams/{stream}/records", 400, "application/problem+json",
                json("{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"x\"}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not match");
    }
}
