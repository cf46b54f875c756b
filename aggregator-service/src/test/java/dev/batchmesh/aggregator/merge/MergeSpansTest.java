package dev.batchmesh.aggregator.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.partial.SeriesPartials;
import dev.batchmesh.core.partial.SeriesPartialsCodec;
import dev.batchmesh.core.partial.WindowPartial;
import dev.batchmesh.core.series.SeriesKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge continues the processor's trace from the partials' headers, one span per run of a batch's partials. */
class MergeSpansTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final String BATCH_ONE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String BATCH_TWO = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @TempDir
    Path stateDir;

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> partials;

    @BeforeEach
    void startDriver() {
        OtelTracer tracer = new OtelTracer(provider.get("test"), new OtelCurrentTraceContext(), event -> { });
        OtelPropagator propagator = new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), provider.get("test"));
        StreamsBuilder builder = new StreamsBuilder();
        MergeTopology.build(builder, new MergeSettings("partials", Duration.ofSeconds(10), Duration.ofMinutes(2), 512),
                new MergeMetrics(new SimpleMeterRegistry()), WindowMergeListener.NONE, new MergeTracing(tracer, propagator));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), config);
        partials = driver.createInputTopic("partials", new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void closeDriver() {
        closeTask();
        provider.close();
    }

    /** Closes the driver and with it the stream task, which ends its open span. */
    private void closeTask() {
        if (driver != null) {
            driver.close();
            driver = null;
        }
    }

    @Test
    void consecutivePartialsOfOneBatchShareOneMergeSpanThatContinuesTheBatchTrace() {
        send("a", BATCH_ONE);
        send("b", BATCH_ONE);
        send("c", BATCH_ONE);
        send("a", BATCH_TWO);
        send("b", BATCH_TWO);
        closeTask();

        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).extracting(SpanData::getName).containsOnly(MergeSpans.NAME);
        assertThat(spans).extracting(SpanData::getKind).containsOnly(SpanKind.CONSUMER);
        assertThat(spans).extracting(span -> span.getTraceId() + "/" + span.getParentSpanId())
                .containsExactly("0af7651916cd43dd8448eb211c80319c/b7ad6b7169203331", "4bf92f3577b34da6a3ce929d0e0e4736/00f067aa0ba902b7");
        assertThat(spans).extracting(span -> span.getAttributes().asMap().entrySet().stream()
                        .filter(e -> e.getKey().getKey().equals("batchmesh.partials")).findFirst().orElseThrow().getValue())
                .containsExactly(3L, 2L);
    }

    @Test
    void anIdleTaskEndsTheOpenSpanOnItsPunctuation() {
        send("a", BATCH_ONE);
        assertThat(exported.getFinishedSpanItems()).isEmpty();

        driver.advanceWallClockTime(Duration.ofSeconds(2));

        assertThat(exported.getFinishedSpanItems()).singleElement()
                .satisfies(span -> assertThat(span.getParentSpanId()).isEqualTo("b7ad6b7169203331"));
    }

    @Test
    void untracedPartialsAreMergedWithoutASpan() {
        send("a", null);
        closeTask();

        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    private void send(String key, String traceparent) {
        SeriesKey series = new SeriesKey("acme", "latency", key);
        RecordHeaders headers = new RecordHeaders();
        if (traceparent != null) {
            headers.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        byte[] value = SeriesPartialsCodec.encodeValue(new SeriesPartials(series, 10_000, T0,
                List.of(new WindowPartial(T0, PartialAggregate.of(200, 1.5)))));
        partials.pipeInput(new TestRecord<>(series.toBytes(), value, headers, Instant.ofEpochMilli(T0)));
    }
}
