package dev.batchmesh.processor.processing;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * Writes the current span's context (the listener's span for the micro-batch in hand) into the
 * headers of the partials it produces, so the aggregator continues the same trace. One context per
 * micro-batch is written into every partial rather than one producer span per message: a batch
 * yields a partial per series, and a span each would cost more than the merge.
 */
final class TraceHeaders {

    private final Tracer tracer;
    private final Propagator propagator;

    TraceHeaders(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    static TraceHeaders disabled() {
        return new TraceHeaders(Tracer.NOOP, Propagator.NOOP);
    }

    /** The context to write, or null when no span is current. */
    TraceContext current() {
        return tracer.currentTraceContext().context();
    }

    void write(TraceContext context, Headers headers) {
        if (context != null) {
            propagator.inject(context, headers, (carrier, key, value) -> carrier.add(key, value.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
