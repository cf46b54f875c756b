package dev.batchmesh.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.batchmesh.gateway.support.GatewayWithStubBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live web view through the gateway: the page, its script and style and the charting library
 * from its webjar are served without an API key under the page's Content-Security-Policy, while the
 * API keeps its strict one.
 */
class GatewayWebViewIntegrationTest extends GatewayWithStubBackends {

    private static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";
    /** Every src and href of the page: its own assets and the library's. */
    private static final Pattern REFERENCE = Pattern.compile("\\s(?:src|href)=\"([^\"]+)\"");

    private URI gateway(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private EntityExchangeResult<byte[]> get(String path) {
        return client.get().uri(gateway(path)).exchange().expectBody().returnResult();
    }

    @Test
    void shouldServeThePageWithoutAnApiKeyUnderAPolicyThatAllowsOnlyItsOwnScriptsAndStyles() {
        EntityExchangeResult<byte[]> page = get("/live/");

        assertThat(page.getStatus().value()).isEqualTo(200);
        assertThat(page.getResponseHeaders().getContentType()).isNotNull()
                .satisfies(type -> assertThat(type.isCompatibleWith(MediaType.TEXT_HTML)).isTrue());
        assertThat(body(page)).contains("<script src=\"live.js\"");
        String policy = page.getResponseHeaders().getFirst("Content-Security-Policy");
        assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "*");
        assertThat(page.getResponseHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.getResponseHeaders().getFirst("X-Frame-Options")).isEqualTo("DENY");
        assertThat(batcher.drain()).isEmpty();
        assertThat(aggregator.drain()).isEmpty();
    }

    @Test
    void shouldServeEveryAssetThePageReferencesWithItsContentTypeAndThePagesPolicy() {
        String html = body(get("/live/"));
        List<String> references = new ArrayList<>();
        Matcher matcher = REFERENCE.matcher(html);
        while (matcher.find()) {
            references.add(matcher.group(1));
        }
        assertThat(references).contains("/webjars/uplot/dist/uPlot.iife.min.js", "/webjars/uplot/dist/uPlot.min.css",
                "live.js", "live.css", "favicon.svg");

        String pagePolicy = get("/live/").getResponseHeaders().getFirst("Content-Security-Policy");
        for (String reference : references) {
            EntityExchangeResult<byte[]> asset = get(URI.create("http://127.0.0.1/live/").resolve(reference).getPath());
            assertThat(asset.getStatus().value()).as(reference).isEqualTo(200);
            assertThat(asset.getResponseBodyContent()).as(reference).isNotEmpty();
            MediaType expected = MediaType.parseMediaType(reference.endsWith(".js") ? "text/javascript"
                    : reference.endsWith(".css") ? "text/css" : "image/svg+xml");
            assertThat(asset.getResponseHeaders().getContentType()).as(reference).isNotNull()
                    .satisfies(type -> assertThat(type.isCompatibleWith(expected)).as(reference + " is " + type).isTrue());
            assertThat(asset.getResponseHeaders().getFirst("Content-Security-Policy")).as(reference)
                    .isEqualTo(pagePolicy).isNotEqualTo(API_POLICY);
        }
        assertThat(aggregator.drain()).isEmpty();
    }

    @Test
    void shouldKeepScriptsAndStylesOutOfThePageSoThePolicyNeedsNoInlineAllowance() {
        String html = body(get("/live/"));

        assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContain("<style")
                .doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=");
    }

    @Test
    void shouldRedirectTheFolderWithoutItsSlashToThePage() {
        client.get().uri(gateway("/live")).exchange()
                .expectStatus().isEqualTo(301)
                .expectHeader().location("/live/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/live/missing.js", "/webjars/uplot/dist/missing.js", "/live/..%2Fapplication.yml", "/webjars/..%2F..%2Fapplication.yml"})
    void shouldAnswerNotFoundForWhatThePageDoesNotHold(String path) {
        client.get().uri(gateway(path)).exchange().expectStatus().isNotFound();
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "|", value = {
            "/v1/streams/orders/keys | dev-key",
            "/v1/streams/orders/keys | ",
            "/v1/openapi.yaml | "})
    void shouldKeepTheApisStrictPolicyOnApiPaths(String path, String apiKey) {
        client.get().uri(gateway(path))
                .headers(headers -> {
                    if (apiKey != null) {
                        headers.setBearerAuth(apiKey);
                    }
                })
                .exchange()
                .expectHeader().valueEquals("Content-Security-Policy", API_POLICY);
        aggregator.drain();
    }

    private static String body(EntityExchangeResult<byte[]> result) {
        byte[] content = result.getResponseBodyContent();
        return content == null ? "" : new String(content, StandardCharsets.UTF_8);
    }
}
