package dev.batchmesh.gateway.edge;

import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.gateway.problem.GatewayProblemException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses requests whose target, headers or body are too large (414, 431, 413) and bodies that
 * stall (408), each as a problem answer. The body is checked while it streams, so a huge chunked
 * body is cut off at the limit instead of being forwarded whole.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class RequestLimitsWebFilter implements WebFilter {

    private final RequestLimits limits;

    RequestLimitsWebFilter(RequestLimits limits) {
        this.limits = limits;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String target = request.getURI().getRawPath() + (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery());
        if (target.length() > limits.maxUriLength()) {
            return Mono.error(problem(HttpStatus.URI_TOO_LONG, ProblemTypes.PAYLOAD_TOO_LARGE,
                    "The request target is longer than " + limits.maxUriLength() + " characters."));
        }
        long headerBytes = 0;
        for (var header : request.getHeaders().headerSet()) {
            for (String value : header.getValue()) {
                headerBytes += header.getKey().length() + value.length() + 4;
            }
        }
        if (headerBytes > limits.maxHeaderSize().toBytes()) {
            return Mono.error(problem(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE,
                    "The request headers are larger than " + limits.maxHeaderSize().toBytes() + " bytes."));
        }
        long declared = request.getHeaders().getContentLength();
        if (declared > limits.maxBodySize().toBytes()) {
            return Mono.error(tooLargeBody());
        }
        ServerHttpRequest limited = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody()
                        .timeout(limits.bodyStallTimeout())
                        .onErrorMap(TimeoutException.class, stalled -> problem(HttpStatus.REQUEST_TIMEOUT, ProblemTypes.MALFORMED_BODY,
                                "The request body stalled for more than " + limits.bodyStallTimeout().toSeconds() + " s."))
                        .handle((buffer, sink) -> {
                            if (seen.addAndGet(buffer.readableByteCount()) > limits.maxBodySize().toBytes()) {
                                org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
                                sink.error(tooLargeBody());
                            } else {
                                sink.next(buffer);
                            }
                        });
            }
        };
        return chain.filter(exchange.mutate().request(limited).build());
    }

    private GatewayProblemException tooLargeBody() {
        return problem(HttpStatus.PAYLOAD_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE,
                "The request body is larger than " + limits.maxBodySize().toBytes() + " bytes.");
    }

    private static GatewayProblemException problem(HttpStatus status, java.net.URI type, String detail) {
        return new GatewayProblemException(status, type, detail, new HttpHeaders());
    }
}
