package dev.batchmesh.batcher.publish;

import dev.batchmesh.core.batch.MicroBatch;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One producer span per micro-batch message. A micro-batch mixes the records of many ingest
 * requests, so its span is a child of the first request it holds (that request's trace then runs
 * on through the processor and the aggregator) and links to the others: one batch shows its
 * sources, and each source's trace viewer can jump to the batch that carried it.
 *
 * <p>The span's context is written into the message headers with the configured propagation
 * (W3C trace context and B3), which the processor's listener continues.
 */
public final class BatchSpans {

    static final String NAME = "publish microbatches";

    private final Tracer tracer;
    private final Propagator propagator;
    private final int maxLinks;

    public BatchSpans(Tracer tracer, Propagator propagator, int maxLinks) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.maxLinks = maxLinks;
    }

    /** No spans and no trace headers, where tracing is not configured. */
    public static BatchSpans disabled() {
        return new BatchSpans(Tracer.NOOP, Propagator.NOOP, 0);
    }

    /** Starts the batch's span and appends its trace headers to {@code headers}; the caller ends it. */
    Span start(MicroBatch batch, String topic, int partition, List<TraceContext> origins, List<Header> headers) {
        Span.Builder builder = tracer.spanBuilder()
                .name(NAME)
                .kind(Span.Kind.PRODUCER)
                .tag("messaging.system", "kafka")
                .tag("messaging.operation.type", "publish")
                .tag("messaging.destination.name", topic)
                .tag("messaging.destination.partition.id", String.valueOf(partition))
                .tag("messaging.message.id", batch.id().toString())
                .tag("batchmesh.batch.records", batch.recordCount())
                .tag("batchmesh.batch.sources", origins.size());
        if (origins.isEmpty()) {
            builder.setNoParent();
        } else {
            builder.setParent(origins.getFirst());
            for (TraceContext source : origins.subList(1, Math.min(origins.size(), maxLinks + 1))) {
                builder.addLink(new Link(source));
            }
        }
        Span span = builder.start();
        propagator.inject(span.context(), headers,
                (carrier, key, value) -> carrier.add(new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8))));
        return span;
    }
}
