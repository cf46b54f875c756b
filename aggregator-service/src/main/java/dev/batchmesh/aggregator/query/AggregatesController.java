package dev.batchmesh.aggregator.query;

import dev.batchmesh.aggregator.config.AggregatorProperties;
import dev.batchmesh.aggregator.live.WindowUpdateHub;
import dev.batchmesh.aggregator.merge.AggregatorStreams;
import dev.batchmesh.aggregator.merge.StreamsUnavailableException;
import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.contract.TenantHeader;
import dev.batchmesh.core.series.SeriesKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public query API (routed by the gateway). A key's aggregates and live updates are answered by
 * the replica whose Kafka Streams task owns the key, others forward there; keys and summary gather
 * every replica's part through {@link InternalQueryController}.
 */
@RestController
class AggregatesController {

    private final QueryParameters parameters;
    private final AggregatorStreams streams;
    private final LocalAggregates local;
    private final ReplicaClient replicas;
    private final WindowUpdateHub hub;
    private final QueryMetrics metrics;
    private final JsonMapper json;
    private final Duration heartbeat;

    AggregatesController(QueryParameters parameters, AggregatorStreams streams, LocalAggregates local,
                         ReplicaClient replicas, WindowUpdateHub hub, QueryMetrics metrics, JsonMapper json,
                         AggregatorProperties properties) {
        this.parameters = parameters;
        this.streams = streams;
        this.local = local;
        this.replicas = replicas;
        this.hub = hub;
        this.metrics = metrics;
        this.json = json;
        this.heartbeat = properties.live().heartbeat();
    }

    @GetMapping("/v1/streams/{stream}/aggregates")
    Mono<ResponseEntity<Object>> aggregates(@PathVariable String stream,
                                            @RequestParam(required = false) String key,
                                            @RequestParam(required = false) String from,
                                            @RequestParam(required = false) String to,
                                            @RequestParam(required = false) String step,
                                            @RequestHeader(name = TenantHeader.NAME, required = false) String tenantHeader,
                                            @RequestHeader(name = ReplicaClient.FORWARDED_HEADER, required = false) String forwarded,
                                            ServerHttpRequest request) {
        String tenant = parameters.tenant(tenantHeader);
        SeriesKey series = new SeriesKey(tenant, parameters.stream(stream), parameters.key(key));
        TimeRange range = parameters.range(from, to);
        Duration stepSize = parameters.step(step);
        parameters.checkWindowCount(range, stepSize);
        Mono<ResponseEntity<Object>> answer = Mono.defer(() -> {
            Optional<HostInfo> owner = remoteOwner(series, forwarded);
            if (owner.isPresent()) {
                return replicas.forward(owner.get(), request, tenant).map(relayed -> ResponseEntity
                        .status(relayed.getStatusCode()).headers(relayed.getHeaders()).body((Object) relayed.getBody()));
            }
            return blocking(() -> local.windows(series, range, stepSize.toMillis()))
                    .map(windows -> ResponseEntity.ok((Object) new AggregatesView(stream, series.key(),
                            stepSize.toString(), windows)));
        });
        return metrics.timed("aggregates", answer);
    }

    /**
     * Server-Sent Events {@code window} whose data is the changed base window (the same object as in
     * {@code windows}), plus a {@code heartbeat} comment at once and then every heartbeat interval.
     * Follows the owner at subscription time; after a rebalance the client reconnects.
     */
    @GetMapping("/v1/streams/{stream}/aggregates/live")
    Flux<ServerSentEvent<String>> live(@PathVariable String stream,
                                       @RequestParam(required = false) String key,
                                       @RequestHeader(name = TenantHeader.NAME, required = false) String tenantHeader,
                                       @RequestHeader(name = ReplicaClient.FORWARDED_HEADER, required = false) String forwarded,
                                       ServerHttpRequest request) {
        String tenant = parameters.tenant(tenantHeader);
        SeriesKey series = new SeriesKey(tenant, parameters.stream(stream), parameters.key(key));
        Optional<HostInfo> owner = remoteOwner(series, forwarded);
        if (owner.isPresent()) {
            return replicas.forwardLive(owner.get(), request, tenant);
        }
        byte[] seriesBytes = series.toBytes();
        long windowSize = parameters.baseWindowMillis();
        Flux<ServerSentEvent<String>> updates = hub.updates()
                .filter(event -> Arrays.equals(event.seriesBytes(), seriesBytes))
                .map(event -> ServerSentEvent.builder(json.writeValueAsString(
                                WindowView.of(event.windowStart(), event.windowStart() + windowSize, event.aggregate())))
                        .event("window")
                        .build());
        Flux<ServerSentEvent<String>> heartbeats = Flux.interval(Duration.ZERO, heartbeat)
                .map(tick -> ServerSentEvent.<String>builder().comment("heartbeat").build());
        // updates first: by the time the client sees the first heartbeat, it is subscribed to updates
        return Flux.merge(updates, heartbeats);
    }

    @GetMapping("/v1/streams/{stream}/keys")
    Mono<KeysView> keys(@PathVariable String stream,
                        @RequestParam(required = false) String from,
                        @RequestParam(required = false) String to,
                        @RequestHeader(name = TenantHeader.NAME, required = false) String tenantHeader) {
        String tenant = parameters.tenant(tenantHeader);
        String checkedStream = parameters.stream(stream);
        TimeRange range = parameters.range(from, to);
        Mono<KeysView> answer = fromEveryReplica(
                        () -> List.copyOf(local.keys(tenant, checkedStream, range)),
                        host -> replicas.keys(host, tenant, checkedStream, range))
                .collect(TreeSet<String>::new, TreeSet::addAll)
                .map(keys -> new KeysView(List.copyOf(keys)));
        return metrics.timed("keys", answer);
    }

    /** One object over all keys; with no records in range: 200, count 0, sum 0, other statistics null. */
    @GetMapping("/v1/streams/{stream}/summary")
    Mono<SummaryView> summary(@PathVariable String stream,
                              @RequestParam(required = false) String from,
                              @RequestParam(required = false) String to,
                              @RequestHeader(name = TenantHeader.NAME, required = false) String tenantHeader) {
        String tenant = parameters.tenant(tenantHeader);
        String checkedStream = parameters.stream(stream);
        TimeRange range = parameters.range(from, to);
        Mono<SummaryView> answer = fromEveryReplica(
                        () -> local.summary(tenant, checkedStream, range),
                        host -> replicas.summary(host, tenant, checkedStream, range))
                .reduce(PartialAggregate::merge)
                .defaultIfEmpty(PartialAggregate.empty(PartialAggregate.DEFAULT_SKETCH_K))
                .map(total -> SummaryView.of(checkedStream, range, total));
        return metrics.timed("summary", answer);
    }

    private Optional<HostInfo> remoteOwner(SeriesKey series, String forwarded) {
        HostInfo owner = streams.ownerOf(series.toBytes()).activeHost();
        if (isSelf(owner)) {
            return Optional.empty();
        }
        if (forwarded != null) {
            // forwarded here by a replica whose metadata is newer or older than ours: one hop only
            throw new StreamsUnavailableException("the key is moving between replicas");
        }
        return Optional.of(owner);
    }

    /** Each replica's part of a stream-wide answer: this one's read locally, the others' asked for. */
    private <T> Flux<T> fromEveryReplica(Callable<T> localPart, Function<HostInfo, Mono<T>> remotePart) {
        return Flux.defer(() -> Flux.fromIterable(streams.storeHosts()))
                .flatMap(host -> isSelf(host) ? blocking(localPart) : remotePart.apply(host));
    }

    private boolean isSelf(HostInfo host) {
        return host.equals(streams.self());
    }

    /** Store reads block on RocksDB: never on the event loop. */
    static <T> Mono<T> blocking(Callable<T> read) {
        return Mono.fromCallable(read).subscribeOn(Schedulers.boundedElastic());
    }
}
