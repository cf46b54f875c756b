package dev.batchmesh.batcher.ingest;

import dev.batchmesh.batcher.batching.BufferFullException;
import dev.batchmesh.batcher.batching.CycleAccumulator;
import dev.batchmesh.batcher.batching.IngestBatch;
import dev.batchmesh.batcher.batching.NotAcceptingException;
import dev.batchmesh.batcher.batching.PublishFailedException;
import dev.batchmesh.batcher.idempotency.IdempotencyGuard;
import dev.batchmesh.batcher.idempotency.IdempotencyKeys;
import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.core.contract.TenantHeader;
import dev.batchmesh.core.series.RecordRules;
import io.micrometer.tracing.Tracer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
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
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /v1/streams/{stream}/records}. Checks run cheapest first: tenant, stream name, content
 * type and declared length before a byte of the body is read; the body is then read with a byte limit
 * that trips while streaming, parsed and validated whole, and appended to the current flush cycle.
 * The answer waits for the cycle's Kafka transaction: 202 once committed, 503 otherwise.
 *
 * <p>With an {@code Idempotency-Key}, the {@link IdempotencyGuard} decides after validation (so a 400,
 * 413 or 415 stores nothing under the key) whether to replay, refuse, or ingest with a commit marker.
 * A request that finds the buffer full waits at most {@code batcher.buffer.max-wait} for room, queued
 * without holding a thread, then gets 503.
 */
@RestController
class IngestController {

    private static final Logger log = LoggerFactory.getLogger(IngestController.class);
    private static final byte[] EMPTY = new byte[0];

    private final RecordParser parser;
    private final CycleAccumulator accumulator;
    private final Clock clock;
    private final int maxBodyBytes;
    private final Duration bufferMaxWait;
    /** Null where no Kafka is configured (slice tests): keyed requests then get 503. */
    private final IdempotencyGuard guard;
    private final Tracer tracer;

    IngestController(RecordParser parser, CycleAccumulator accumulator, Clock clock, IngestLimits limits,
            ObjectProvider<IdempotencyGuard> guard, ObjectProvider<Tracer> tracer) {
        this.parser = parser;
        this.accumulator = accumulator;
        this.clock = clock;
        this.maxBodyBytes = limits.maxBodyBytes();
        this.bufferMaxWait = limits.bufferMaxWait();
        this.guard = guard.getIfAvailable();
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
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
        String idempotencyKey = headers.getFirst(IdempotencyKeys.HEADER);
        if (idempotencyKey != null && !IdempotencyKeys.isValid(idempotencyKey)) {
            return Mono.error(IngestRejectedException.of(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_PARAMETER, RejectReason.INVALID_PARAMETER,
                    "invalid " + IdempotencyKeys.HEADER + ": it must be 1 to 255 printable ASCII characters"));
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
                // handle, not flatMap: Reactor restores the request's observation in handle (context
                // propagation "limited"), so the batch links the request's span and logs carry its ids
                .<Mono<ResponseEntity<AcceptedResponse>>>handle((body, sink) -> sink.next(accept(tenant, stream, format, body, idempotencyKey)))
                .flatMap(answer -> answer);
    }

    private Mono<ResponseEntity<AcceptedResponse>> accept(String tenant, String stream, RecordFormat format, byte[] body,
            String idempotencyKey) {
        long arrival = clock.millis();
        ParsedRecords records = parser.parse(body, body.length, format, arrival);
        int partitions = accumulator.partitions();
        if (partitions == 0) {
            throw IngestRejectedException.unavailable(RejectReason.UNAVAILABLE, "the batcher is starting or shutting down", records.size());
        }
        IngestBatch batch = IngestBatch.group(tenant, stream, records.size(), records.keys(), records.timestamps(), records.values(),
                arrival, partitions);
        // The request's server span, current here because this runs inside handle (see ingest).
        batch.withOrigin(tracer.currentTraceContext().context());
        log.debug("Parsed {} records for stream {} of tenant {}", records.size(), stream, tenant);
        if (idempotencyKey == null) {
            return enqueue(batch);
        }
        if (guard == null) {
            throw IngestRejectedException.unavailable(RejectReason.UNAVAILABLE, IdempotencyKeys.HEADER + " is not available", records.size());
        }
        byte[] fingerprint = IdempotencyKeys.fingerprint(stream, format.name(), body);
        // On a worker thread: the first claim may block on Kafka metadata for up to max.block.ms.
        return Mono.defer(() -> Mono.fromFuture(guard.admit(tenant, idempotencyKey, fingerprint, records.size()), true))
                .subscribeOn(Schedulers.boundedElastic())
                .publishOn(Schedulers.parallel())
                .flatMap(outcome -> switch (outcome) {
                    case IdempotencyGuard.Replayed replayed -> Mono.just(ResponseEntity.status(HttpStatus.ACCEPTED)
                            .header(IdempotencyKeys.REPLAYED_HEADER, "true")
                            .body(new AcceptedResponse(replayed.accepted())));
                    // defer: enqueue also refuses by throwing, and those refusals must release the claim too.
                    case IdempotencyGuard.Proceed proceed -> Mono.defer(() -> enqueue(batch.withCommitMarker(proceed.marker())))
                            .doOnError(IngestRejectedException.class, e -> {
                                if (!appended(e)) {
                                    guard.release(proceed);
                                }
                            });
                    case IdempotencyGuard.KeyReused reused -> Mono.error(IngestRejectedException.of(HttpStatus.UNPROCESSABLE_CONTENT,
                            ProblemTypes.IDEMPOTENCY_KEY_REUSED, RejectReason.IDEMPOTENCY_KEY_REUSED,
                            "this " + IdempotencyKeys.HEADER + " was used for a different request (stream, content type or body)"));
                    case IdempotencyGuard.Conflict conflict -> Mono.error(IngestRejectedException.of(HttpStatus.CONFLICT,
                            ProblemTypes.IDEMPOTENCY_CONFLICT, RejectReason.IDEMPOTENCY_CONFLICT,
                            "a request with this " + IdempotencyKeys.HEADER + " is still in progress; retry later"));
                    case IdempotencyGuard.Unavailable unavailable -> Mono.error(
                            IngestRejectedException.unavailable(RejectReason.UNAVAILABLE, unavailable.detail(), records.size()));
                });
    }

    /** Appends the request to a cycle, waiting at most the buffer's max wait for room, and answers when its cycle is published. */
    private Mono<ResponseEntity<AcceptedResponse>> enqueue(IngestBatch batch) {
        int records = batch.records();
        CompletableFuture<Void> admitted;
        try {
            admitted = accumulator.admit(batch);
        } catch (BufferFullException e) {
            throw bufferFull(records);
        } catch (NotAcceptingException e) {
            throw IngestRejectedException.unavailable(RejectReason.UNAVAILABLE, e.getMessage(), records);
        }
        Mono<Void> admission = admitted.isDone() ? Mono.empty()
                // suppressCancel: the timeout must not cancel the shared future; withdraw decides the race instead.
                : Mono.fromFuture(admitted, true).timeout(bufferMaxWait, Mono.defer(() -> accumulator.withdraw(batch)
                        ? Mono.error(bufferFull(records))
                        : Mono.fromFuture(admitted, true)));
        // suppressCancel: a client that disconnects does not take its records out of the cycle.
        return admission
                .onErrorMap(NotAcceptingException.class, e -> IngestRejectedException.unavailable(RejectReason.UNAVAILABLE, e.getMessage(), records))
                .then(Mono.fromFuture(batch.acknowledged(), true))
                .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED).body(new AcceptedResponse(records)))
                .onErrorMap(PublishFailedException.class, e -> IngestRejectedException.unavailable(RejectReason.PUBLISH_FAILED,
                        "Kafka did not confirm the records in time; retry later", records));
    }

    /** Only these refusals happen before the records entered a cycle; after it, a failed cycle may still have committed. */
    private static boolean appended(IngestRejectedException e) {
        return e.reason() != RejectReason.BUFFER_FULL && e.reason() != RejectReason.UNAVAILABLE;
    }

    private static IngestRejectedException bufferFull(int records) {
        return IngestRejectedException.unavailable(RejectReason.BUFFER_FULL, "the batcher is overloaded; retry later", records);
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
