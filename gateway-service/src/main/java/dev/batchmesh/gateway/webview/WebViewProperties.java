package dev.batchmesh.gateway.webview;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the live web view ({@code gateway.web-view.*}).
 *
 * @param contentSecurityPolicy the Content-Security-Policy of the page and its assets, in place of the
 *                              API's {@code default-src 'none'}: scripts, styles and API calls from
 *                              the gateway's own origin only, and no inline script or style
 */
@Validated
@ConfigurationProperties("gateway.web-view")
public record WebViewProperties(
        @DefaultValue("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
                + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'") @NotBlank String contentSecurityPolicy) {

    /** Where the page and its own script and style live. */
    public static final String PAGE_PATH = "/live/";
    /** Where the libraries the page loads live. */
    public static final String WEBJARS_PATH = "/webjars/";

    /** Whether a request path belongs to the web view rather than to the API. */
    public static boolean covers(String path) {
        return path.equals("/live") || path.startsWith(PAGE_PATH) || path.startsWith(WEBJARS_PATH);
    }
}
