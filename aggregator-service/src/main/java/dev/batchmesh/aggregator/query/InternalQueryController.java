package dev.batchmesh.aggregator.query;

import dev.batchmesh.core.aggregate.PartialAggregateCodec;
import dev.batchmesh.core.contract.TenantHeader;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * This instance's part of a whole-stream query, called by other replicas only (the gateway does
 * not route {@code /internal}, and the mesh policy admits only aggregator pods). {@code from} and
 * {@code to} arrive already resolved, as epoch milliseconds.
 */
@RestController
class InternalQueryController {

    private final QueryParameters parameters;
    private final LocalAggregates local;
    private final QueryMetrics metrics;

    InternalQueryController(QueryParameters parameters, LocalAggregates local, QueryMetrics metrics) {
        this.parameters = parameters;
        this.local = local;
        this.metrics = metrics;
    }

    @GetMapping(path = "/internal/v1/streams/{stream}/keys", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<KeysView> keys(@PathVariable String stream, @RequestParam String from, @RequestParam String to,
                        @RequestHeader(name = TenantHeader.NAME, required = false) String tenantHeader) {
        String tenant = parameters.tenant(tenantHeader);
        String checkedStream = parameters.stream(stream);
        TimeRange range = parameters.range(from, to);
        return metrics.timed("internal-keys", AggregatesController.blocking(
                () -> new KeysView(List.copyOf(local.keys(tenant, checkedStream, range)))));
    }

    /** The local summary as a {@link PartialAggregateCodec} body: mergeable, unlike finished statistics. */
    @GetMapping(path = "/internal/v1/streams/{stream}/summary", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    Mono<byte[]> summary(@PathVariable String stream, @RequestParam String from, @RequestParam String to,
                         @RequestHeader(name = TenantHeader.NAME, required = false) String tenantHeader) {
        String tenant = parameters.tenant(tenantHeader);
        String checkedStream = parameters.stream(stream);
        TimeRange range = parameters.range(from, to);
        return metrics.timed("internal-summary", AggregatesController.blocking(
                () -> PartialAggregateCodec.encode(local.summary(tenant, checkedStream, range))));
    }
}
