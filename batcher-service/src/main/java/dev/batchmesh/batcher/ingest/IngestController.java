package dev.batchmesh.batcher.ingest;

import dev.batchmesh.batcher.batching.BufferFullException;
import dev.batchmesh.batcher.batching.CycleAccumulator;
import dev.batchmesh.batcher.batching.IngestBatch;
import dev.batchmesh.batcher.batching.NotAcceptingException;
import dev.batchmesh.batcher.batching.PublishFailedException;
import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.core.contract.TenantHeader;
import dev.batchmesh.core.series.RecordRules;
import java.time.Clock;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/streams/{stream}/records}. Checks run cheapest first: tenant, stream name, content
 * type and declared length before a byte of the body is read; the body is then read with a byte limit
 * that trips while streaming, parsed and validated whole, and appended to the current flush cycle.
 * The answer waits for the cycle's Kafka transaction: 202 once committed, 503 otherwise.
 */
@RestController
class IngestController {

    private static final byte[] EMPTY = new byte[0];

    private final RecordParser parser;
    private final CycleAccumulator accumulator;
    private final Clock clock;
    private final int maxBodyBytes;

    IngestController(RecordParser parser, CycleAccumulator accumulator, Clock clock, IngestLimits limits) {
        this.parser = parser;
        this.accumulator = accumulator;
        this.clock = clock;
        this.maxBodyBytes = limits.maxBodyBytes();
    }

    @PostMapping("/v1/streams/{stream}/records")
    Mono<ResponseEntity<AcceptedResponse>> ingest(@PathVariable String stream, ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        String tenant = headers.getFirst(TenantHeader.NAME);
        if (!RecordRules.isValidTenant(tenant)) {
            return Mono.error(IngestRejectedException.of(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHENTICATED, RejectReason.UNAUTHENTICATED,
                    "missing or invalid " + TenantHeader.NAME + " header: requests must come through the gateway"));
        }
        if (!RecordRules.isValidStream(stream)) {
            return Mono.error(IngestRejectedException.of(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER, RejectReason.INVALID_PARAMETER,
                    "invalid stream name: it must match [A-Za-z0-9._-]{1,64}"));
        }
        RecordFormat format = formatOf(headers);
        if (format == null) {
            return Mono.error(IngestRejectedException.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
                    RejectReason.UNSUPPORTED_MEDIA_TYPE, "content type must be application/json or application/x-ndjson, in UTF-8"));
        }
        if (headers.getContentLength() > maxBodyBytes) {
            return Mono.error(bodyTooLarge());
        }
        return DataBufferUtils.join(request.getBody(), maxBodyBytes)
                .onErrorMap(DataBufferLimitException.class, e -> bodyTooLarge())
                .map(IngestController::drain)
                .defaultIfEmpty(EMPTY)
                .flatMap(body -> accept(tenant, stream, format, body));
    }

    private Mono<ResponseEntity<AcceptedResponse>> accept(String tenant, String stream, RecordFormat format, byte[] body) {
        long arrival = clock.millis();
        ParsedRecords records = parser.parse(body, body.length, format, arrival);
        int partitions = accumulator.partitions();
        if (partitions == 0) {
            throw IngestRejectedException.unavailable(RejectReason.UNAVAILABLE, "the batcher is starting or shutting down", records.size());
        }
        IngestBatch batch = IngestBatch.group(tenant, stream, records.size(), records.keys(), records.timestamps(), records.values(),
                arrival, partitions);
        try {
            accumulator.append(batch);
        } catch (BufferFullException e) {
            throw IngestRejectedException.unavailable(RejectReason.BUFFER_FULL, "the batcher is overloaded; retry later", records.size());
        } catch (NotAcceptingException e) {
            throw IngestRejectedException.unavailable(RejectReason.UNAVAILABLE, e.getMessage(), records.size());
        }
        // suppressCancel: a client that disconnects does not take its records out of the cycle.
        return Mono.fromFuture(batch.acknowledged(), true)
                .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED).body(new AcceptedResponse(records.size())))
                .onErrorMap(PublishFailedException.class, e -> IngestRejectedException.unavailable(RejectReason.PUBLISH_FAILED,
                        "Kafka did not confirm the records in time; retry later", records.size()));
    }

    private static RecordFormat formatOf(HttpHeaders headers) {
        MediaType contentType;
        try {
            contentType = headers.getContentType();
        } catch (InvalidMediaTypeException e) {
            return null;
        }
        return RecordFormat.of(contentType);
    }

    private IngestRejectedException bodyTooLarge() {
        return IngestRejectedException.tooLarge("the body is larger than " + maxBodyBytes + " bytes");
    }

    private static byte[] drain(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
