package dev.batchmesh.gateway.edge;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Size and time limits on what a client sends ({@code gateway.limits.*}). They sit below Netty's own
 * limits (server.netty.*, set higher in application.yml) so that the gateway, not the codec, answers
 * them, with problem details.
 *
 * @param maxUriLength     longest request target (path and query), in characters
 * @param maxHeaderSize    all request header names and values together
 * @param maxBodySize      longest request body; a Content-Length above it is refused before anything
 *                         is forwarded, a chunked body is cut off as soon as it passes it
 * @param bodyStallTimeout longest pause between two pieces of a request body
 */
@Validated
@ConfigurationProperties("gateway.limits")
record RequestLimits(@DefaultValue("2048") @Positive int maxUriLength,
                     @DefaultValue("16KB") @NotNull DataSize maxHeaderSize,
                     @DefaultValue("4MB") @NotNull DataSize maxBodySize,
                     @DefaultValue("PT10S") @NotNull Duration bodyStallTimeout) {
}
