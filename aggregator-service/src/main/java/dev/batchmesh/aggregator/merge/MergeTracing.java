package dev.batchmesh.aggregator.merge;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/** What the merge needs to continue the traces the processor writes into the partials' headers. */
public record MergeTracing(Tracer tracer, Propagator propagator) {

    public static final MergeTracing NONE = new MergeTracing(Tracer.NOOP, Propagator.NOOP);

    MergeSpans newSpans(String topic) {
        return new MergeSpans(tracer, propagator, topic);
    }
}
