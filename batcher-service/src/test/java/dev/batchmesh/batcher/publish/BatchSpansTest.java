package dev.batchmesh.batcher.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.core.batch.MicroBatch;
import dev.batchmesh.core.batch.SeriesPoints;
import dev.batchmesh.core.series.SeriesKey;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchSpansTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private final OtelTracer tracer = new OtelTracer(provider.get("test"), new OtelCurrentTraceContext(), event -> { });
    private final OtelPropagator propagator = new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()),
            provider.get("test"));
    private final MicroBatch batch = new MicroBatch(UUID.randomUUID(), 1_000L,
            List.of(new SeriesPoints(new SeriesKey("dev", "latency", "checkout"), new long[] {1, 2}, new double[] {1.5, 2.5})));

    @AfterEach
    void closeProvider() {
        provider.close();
    }

    @Test
    void aBatchSpanIsAChildOfTheFirstRequestAndLinksTheOthers() {
        List<TraceContext> requests = List.of(requestSpan(), requestSpan(), requestSpan());
        List<Header> headers = new ArrayList<>();

        new BatchSpans(tracer, propagator, 128).start(batch, "microbatches", 4, requests, headers).end();

        SpanData span = exported.getFinishedSpanItems().getLast();
        assertThat(span.getName()).isEqualTo(BatchSpans.NAME);
        assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(span.getTraceId()).isEqualTo(requests.get(0).traceId());
        assertThat(span.getParentSpanId()).isEqualTo(requests.get(0).spanId());
        assertThat(span.getLinks()).extracting(link -> link.getSpanContext().getSpanId())
                .containsExactly(requests.get(1).spanId(), requests.get(2).spanId());
        assertThat(span.getAttributes().asMap()).extractingFromEntries(e -> e.getKey().getKey() + "=" + e.getValue())
                .contains("messaging.destination.name=microbatches", "messaging.destination.partition.id=4",
                        "batchmesh.batch.records=2", "batchmesh.batch.sources=3");
    }

    @Test
    void theHeadersCarryTheBatchSpanSoTheProcessorContinuesIt() {
        List<Header> headers = new ArrayList<>();

        new BatchSpans(tracer, propagator, 128).start(batch, "microbatches", 0, List.of(requestSpan()), headers).end();

        SpanData span = exported.getFinishedSpanItems().getLast();
        assertThat(headers).extracting(Header::key).containsExactly("traceparent");
        assertThat(new String(headers.getFirst().value(), StandardCharsets.UTF_8))
                .isEqualTo("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01");
    }

    @Test
    void linksStopAtTheConfiguredMaximum() {
        List<TraceContext> requests = List.of(requestSpan(), requestSpan(), requestSpan(), requestSpan());

        new BatchSpans(tracer, propagator, 2).start(batch, "microbatches", 0, requests, new ArrayList<>()).end();

        SpanData span = exported.getFinishedSpanItems().getLast();
        assertThat(span.getLinks()).extracting(LinkData::getSpanContext).hasSize(2);
        assertThat(span.getAttributes().asMap()).extractingFromEntries(e -> e.getKey().getKey() + "=" + e.getValue())
                .contains("batchmesh.batch.sources=4");
    }

    @Test
    void aBatchOfUntracedRequestsStartsItsOwnTrace() {
        List<Header> headers = new ArrayList<>();

        new BatchSpans(tracer, propagator, 128).start(batch, "microbatches", 0, List.of(), headers).end();

        SpanData span = exported.getFinishedSpanItems().getLast();
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(span.getLinks()).isEmpty();
        assertThat(headers).extracting(Header::key).containsExactly("traceparent");
    }

    @Test
    void withoutTracingNothingIsRecordedOrWritten() {
        List<Header> headers = new ArrayList<>();

        BatchSpans.disabled().start(batch, "microbatches", 0, List.of(requestSpan()), headers).end();

        assertThat(headers).isEmpty();
        assertThat(exported.getFinishedSpanItems()).hasSize(1); // only the request span made by the test
    }

    private TraceContext requestSpan() {
        Span span = tracer.nextSpan().name("POST /v1/streams/{stream}/records").start();
        span.end();
        return span.context();
    }
}
