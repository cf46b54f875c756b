package dev.batchmesh.processor.processing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One consumer span per micro-batch, continuing the trace the batcher wrote into the message
 * headers, and the context every partials message the batch feeds carries on to the aggregator (a
 * message fed by several batches carries the first one's). The listener takes a whole poll at once,
 * which spring-kafka's own listener observation does not trace per record, so the spans are made
 * here. One context per micro-batch goes into its messages rather than a producer span per
 * message: a span each would cost more than the aggregation.
 */
final class ProcessingSpans {

    static final String NAME = "process microbatches";

    private final Tracer tracer;
    private final Propagator propagator;

    ProcessingSpans(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    static ProcessingSpans disabled() {
        return new ProcessingSpans(Tracer.NOOP, Propagator.NOOP);
    }

    /** Starts the micro-batch's span; the caller ends it once the poll's partials are handed over. */
    Span start(ConsumerRecord<byte[], byte[]> message) {
        return propagator.extract(message.headers(), ProcessingSpans::lastValue)
                .name(NAME)
                .kind(Span.Kind.CONSUMER)
                .tag("messaging.system", "kafka")
                .tag("messaging.operation.type", "process")
                .tag("messaging.destination.name", message.topic())
                .tag("messaging.destination.partition.id", String.valueOf(message.partition()))
                .tag("messaging.kafka.offset", message.offset())
                .start();
    }

    /** Puts a span in scope, for log lines that should carry its ids. */
    Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }

    /** Writes a micro-batch's span context into a partial's headers. */
    void write(Span span, Headers headers) {
        propagator.inject(span.context(), headers, (carrier, key, value) -> carrier.add(key, value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String lastValue(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
