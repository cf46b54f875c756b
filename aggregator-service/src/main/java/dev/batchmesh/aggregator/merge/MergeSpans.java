package dev.batchmesh.aggregator.merge;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The merge spans of one stream task. The processor writes one micro-batch's trace context into
 * every partial it makes from that batch, and they arrive one after another on a partition; a span
 * per partial would cost more than the merge itself, so consecutive partials that carry the same
 * context share one span, a child of the processor's span for the batch. It ends when partials of
 * another batch arrive, on the task's punctuation, or when the task closes.
 *
 * <p>Not thread-safe: a stream task calls it from its own thread only.
 */
final class MergeSpans {

    static final String NAME = "merge partials";
    private static final Tracer.SpanInScope NO_SCOPE = () -> { };

    private final Tracer tracer;
    private final Propagator propagator;
    private final String topic;
    private final List<String> fields;
    private byte[][] openContext;
    private Span open;
    private long partials;

    MergeSpans(Tracer tracer, Propagator propagator, String topic) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.topic = topic;
        this.fields = List.copyOf(propagator.fields());
    }

    /** Puts the span for a partial with these headers in scope; close the scope after the merge. */
    Tracer.SpanInScope enter(Headers headers, int partition) {
        if (fields.isEmpty()) {
            return NO_SCOPE;
        }
        byte[][] context = contextOf(headers);
        if (context == null) {
            end();
            return NO_SCOPE;
        }
        if (open == null || !Arrays.deepEquals(context, openContext)) {
            end();
            open = propagator.extract(headers, MergeSpans::lastValue)
                    .name(NAME)
                    .kind(Span.Kind.CONSUMER)
                    .tag("messaging.system", "kafka")
                    .tag("messaging.operation.type", "process")
                    .tag("messaging.destination.name", topic)
                    .tag("messaging.destination.partition.id", String.valueOf(partition))
                    .start();
            openContext = context;
        }
        partials++;
        return tracer.withSpan(open);
    }

    /** Ends the open span, if any: on punctuation, when another batch's partials arrive, on close. */
    void end() {
        if (open != null) {
            open.tag("batchmesh.partials", partials).end();
            open = null;
            openContext = null;
            partials = 0;
        }
    }

    private byte[][] contextOf(Headers headers) {
        byte[][] values = null;
        for (int i = 0; i < fields.size(); i++) {
            Header header = headers.lastHeader(fields.get(i));
            if (header != null) {
                if (values == null) {
                    values = new byte[fields.size()][];
                }
                values[i] = header.value();
            }
        }
        return values;
    }

    private static String lastValue(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
