package dev.batchmesh.aggregator.merge;

import dev.batchmesh.aggregator.merge.MergeMetrics.DropReason;
import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.aggregate.PartialAggregateCodec;
import dev.batchmesh.core.partial.SeriesPartials;
import dev.batchmesh.core.partial.SeriesPartialsCodec;
import dev.batchmesh.core.partial.WindowPartial;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges each window partial of a {@code partials} message (one series keyed by its bytes, or the
 * series of one partition together; see {@link SeriesPartialsCodec}) into the stored state of its
 * (series, window). Nothing is forwarded: the store (and its changelog) is the output.
 *
 * <p>A message that does not decode or was computed for another base window is logged, counted
 * and skipped: throwing here would kill the stream thread and block the partition forever.
 */
final class WindowMergeProcessor implements Processor<Bytes, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(WindowMergeProcessor.class);
    private static final Duration SPAN_IDLE_END = Duration.ofSeconds(1);

    private final MergeSettings settings;
    private final MergeMetrics metrics;
    private final WindowMergeListener listener;
    private final MergeSpans spans;
    private final DecodedWindows decoded;
    private WindowStore<Bytes, byte[]> store;
    private ProcessorContext<Void, Void> context;
    /** Newest window start merged by this task: a cheap first check for expired windows. */
    private long newestWindowStart = Long.MIN_VALUE;

    WindowMergeProcessor(MergeSettings settings, MergeMetrics metrics, WindowMergeListener listener, MergeSpans spans) {
        this.settings = settings;
        this.metrics = metrics;
        this.listener = listener;
        this.spans = spans;
        this.decoded = new DecodedWindows(settings.decodedWindowsPerTask());
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(MergeTopology.STORE);
        decoded.clear();
        // A batch's span stays open while its partials arrive; an idle task must still end it.
        context.schedule(SPAN_IDLE_END, PunctuationType.WALL_CLOCK_TIME, now -> spans.end());
    }

    @Override
    public void close() {
        spans.end();
    }

    @Override
    public void process(Record<Bytes, byte[]> record) {
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
        try (Tracer.SpanInScope scope = spans.enter(record.headers(), partition)) {
            mergeAll(record);
        }
    }

    private void mergeAll(Record<Bytes, byte[]> record) {
        List<SeriesPartials> messageSeries;
        try {
            messageSeries = SeriesPartialsCodec.decodeMessage(record.key() == null ? null : record.key().get(), record.value());
        } catch (RuntimeException e) {
            log.warn("Skipping undecodable partials message at {}: {}", position(), e.getMessage());
            metrics.dropped(DropReason.BAD_FORMAT, 1);
            return;
        }
        if (messageSeries.isEmpty()) {
            return;
        }
        SeriesPartials first = messageSeries.getFirst();
        if (first.windowSizeMillis() != settings.windowSizeMillis()) {
            log.warn("Skipping partials at {} computed for {} ms windows; this aggregator uses {} ms",
                    position(), first.windowSizeMillis(), settings.windowSizeMillis());
            metrics.dropped(DropReason.WINDOW_MISMATCH, messageSeries.stream().mapToInt(p -> p.windows().size()).sum());
            return;
        }
        int windows = 0;
        for (SeriesPartials partials : messageSeries) {
            Bytes series = Bytes.wrap(partials.series().toBytes());
            for (WindowPartial window : partials.windows()) {
                merge(series, window);
            }
            windows += partials.windows().size();
        }
        metrics.mergedBatchArrivedAt(first.batchCreatedAt(), context.currentSystemTimeMs());
        if (log.isDebugEnabled()) {
            log.debug("Merged {} window partials of {} series at {}", windows, messageSeries.size(), position());
        }
    }

    private void merge(Bytes series, WindowPartial partial) {
        long start = partial.windowStart();
        if (Math.floorMod(start, settings.windowSizeMillis()) != 0) {
            log.warn("Skipping a partial at {} whose window start {} is not aligned to {} ms", position(), start,
                    settings.windowSizeMillis());
            metrics.dropped(DropReason.BAD_FORMAT, 1);
            return;
        }
        if (isExpired(start)) {
            metrics.dropped(DropReason.LATE, 1);
            return;
        }
        PartialAggregate merged = partial.aggregate();
        byte[] stored = store.fetch(series, start);
        if (stored != null) {
            merged = decoded.decode(series, start, stored).merge(merged);
        }
        // isExpired drops everything the store would silently skip (windows older than its newest
        // window minus the retention), so no read-back is needed. After a restart this task has
        // forgotten its newest window until it merges it again; a partial more than the retention
        // older than that, arriving in between, would count as merged though the store skips it.
        byte[] encoded = PartialAggregateCodec.encode(merged);
        store.put(series, encoded, start);
        decoded.stored(series, start, encoded, merged);
        newestWindowStart = Math.max(newestWindowStart, start);
        metrics.merged();
        try {
            listener.onWindowMerged(new WindowMerged(series.get(), start, merged));
        } catch (RuntimeException e) {
            log.warn("Window listener failed: {}", e.toString());
        }
    }

    private boolean isExpired(long windowStart) {
        return newestWindowStart != Long.MIN_VALUE
                && windowStart <= newestWindowStart - settings.storeRetentionMillis();
    }

    private String position() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("unknown offset");
    }
}
