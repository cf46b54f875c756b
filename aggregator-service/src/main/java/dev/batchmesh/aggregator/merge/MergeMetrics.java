package dev.batchmesh.aggregator.merge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Counters of the merge step. Tags are bounded: the drop reason only, never a series or stream. */
public final class MergeMetrics {

    /** Why a partial was not merged. */
    public enum DropReason {
        /** its window is older than the store keeps (retention + grace) */
        LATE("late"),
        /** the message (or one of its windows) does not decode */
        BAD_FORMAT("bad-format"),
        /** the message was computed for another base window size */
        WINDOW_MISMATCH("window-mismatch");

        private final String tag;

        DropReason(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private final Counter merged;
    private final Counter late;
    private final Counter badFormat;
    private final Counter windowMismatch;
    private final Timer endToEnd;

    public MergeMetrics(MeterRegistry registry) {
        this.merged = Counter.builder("aggregator.partials.merged")
                .description("Window partials merged into the window store")
                .register(registry);
        this.late = dropped(registry, DropReason.LATE);
        this.badFormat = dropped(registry, DropReason.BAD_FORMAT);
        this.windowMismatch = dropped(registry, DropReason.WINDOW_MISMATCH);
        this.endToEnd = Timer.builder("aggregator.end.to.end.latency")
                .description("From the arrival at the batcher of a micro-batch's earliest record to the merge of its partials")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /** One merged partials message: how long ago its micro-batch's first record reached the batcher. */
    void mergedBatchArrivedAt(long batchCreatedAtMillis, long nowMillis) {
        if (nowMillis >= batchCreatedAtMillis) {
            endToEnd.record(nowMillis - batchCreatedAtMillis, TimeUnit.MILLISECONDS);
        }
    }

    private static Counter dropped(MeterRegistry registry, DropReason reason) {
        return Counter.builder("aggregator.partials.dropped")
                .description("Window partials (or undecodable messages) skipped instead of merged")
                .tag("reason", reason.tag())
                .register(registry);
    }

    void merged() {
        merged.increment();
    }

    void dropped(DropReason reason, int partials) {
        switch (reason) {
            case LATE -> late.increment(partials);
            case BAD_FORMAT -> badFormat.increment(partials);
            case WINDOW_MISMATCH -> windowMismatch.increment(partials);
        }
    }
}
