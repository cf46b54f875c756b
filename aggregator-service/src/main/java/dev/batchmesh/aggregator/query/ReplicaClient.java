package dev.batchmesh.aggregator.query;

import dev.batchmesh.aggregator.config.AggregatorProperties;
import dev.batchmesh.aggregator.merge.StreamsUnavailableException;
import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.aggregate.PartialAggregateCodec;
import dev.batchmesh.core.contract.TenantHeader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Calls to other aggregator replicas: forwarding a key's query to its owner and fetching each
 * replica's part of keys and summary. Any failure means "try again later" to the client (503): the
 * cluster is rebalancing or a replica is going away.
 */
@Component
class ReplicaClient {

    /** Marks a request forwarded by a replica, so the owner answers locally and never forwards again. */
    static final String FORWARDED_HEADER = "X-Batchmesh-Forwarded";

    private final WebClient webClient;
    private final Duration responseTimeout;

    ReplicaClient(WebClient replicaWebClient, AggregatorProperties properties) {
        this.webClient = replicaWebClient;
        this.responseTimeout = properties.forward().responseTimeout();
    }

    /** Relays a query to the replica that owns the key: same path and query, status and body as it answered. */
    Mono<ResponseEntity<byte[]>> forward(HostInfo owner, ServerHttpRequest request, String tenant) {
        return webClient.get().uri(sameRequestOn(owner, request))
                .header(TenantHeader.NAME, tenant)
                .header(FORWARDED_HEADER, "1")
                .accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
                .exchangeToMono(response -> response.toEntity(byte[].class))
                .map(ReplicaClient::relayed)
                .timeout(responseTimeout)
                .onErrorMap(e -> unavailable(owner, e));
    }

    /** Relays the live stream of the owner, events and heartbeat comments alike. */
    Flux<ServerSentEvent<String>> forwardLive(HostInfo owner, ServerHttpRequest request, String tenant) {
        return webClient.get().uri(sameRequestOn(owner, request))
                .header(TenantHeader.NAME, tenant)
                .header(FORWARDED_HEADER, "1")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .onErrorMap(e -> unavailable(owner, e));
    }

    Mono<List<String>> keys(HostInfo replica, String tenant, String stream, TimeRange range) {
        return webClient.get().uri(internal(replica, stream, "keys", range))
                .header(TenantHeader.NAME, tenant)
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(KeysView.class)
                .map(KeysView::keys)
                .timeout(responseTimeout)
                .onErrorMap(e -> unavailable(replica, e));
    }

    Mono<PartialAggregate> summary(HostInfo replica, String tenant, String stream, TimeRange range) {
        return webClient.get().uri(internal(replica, stream, "summary", range))
                .header(TenantHeader.NAME, tenant)
                .accept(MediaType.APPLICATION_OCTET_STREAM)
                .retrieve()
                .bodyToMono(byte[].class)
                .map(PartialAggregateCodec::decode)
                .timeout(responseTimeout)
                .onErrorMap(e -> unavailable(replica, e));
    }

    private static ResponseEntity<byte[]> relayed(ResponseEntity<byte[]> answer) {
        HttpHeaders headers = new HttpHeaders();
        if (answer.getHeaders().getContentType() != null) {
            headers.setContentType(answer.getHeaders().getContentType());
        }
        String retryAfter = answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        if (retryAfter != null) {
            headers.set(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        return ResponseEntity.status(answer.getStatusCode()).headers(headers).body(answer.getBody());
    }

    private static Throwable unavailable(HostInfo replica, Throwable cause) {
        if (cause instanceof StreamsUnavailableException) {
            return cause;
        }
        return new StreamsUnavailableException("replica " + replica.host() + ":" + replica.port() + " did not answer", cause);
    }

    private static URI sameRequestOn(HostInfo host, ServerHttpRequest request) {
        String query = request.getURI().getRawQuery();
        return URI.create(base(host) + request.getURI().getRawPath() + (query == null ? "" : "?" + query));
    }

    private static URI internal(HostInfo host, String stream, String what, TimeRange range) {
        return URI.create(base(host) + "/internal/v1/streams/" + stream + "/" + what + "?from=" + range.fromMillis()
                + "&to=" + range.toMillis());
    }

    private static String base(HostInfo host) {
        String name = host.host().contains(":") ? "[" + host.host() + "]" : host.host();
        return "http://" + name + ":" + host.port();
    }
}
