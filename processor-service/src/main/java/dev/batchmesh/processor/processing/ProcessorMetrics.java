package dev.batchmesh.processor.processing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The processor's meters. Counters and the summary count things and carry no unit (Prometheus would
 * append it to the name: {@code processor_records_late_records_total}); the timer is in seconds. Counted when a batch is handed to the transaction, so a batch whose
 * transaction aborts and is redelivered is counted again: these measure work done, while the
 * partials themselves are exactly once.
 */
class ProcessorMetrics {

    private final Counter batches;
    private final Counter records;
    private final Counter lateRecords;
    private final Timer batchDuration;
    private final DistributionSummary partialsPerBatch;

    ProcessorMetrics(MeterRegistry registry) {
        batches = Counter.builder("processor.batches")
                .description("Micro-batches turned into partials").register(registry);
        records = Counter.builder("processor.records")
                .description("Records aggregated into partials").register(registry);
        lateRecords = Counter.builder("processor.records.late")
                .description("Records dropped because their window closed more than the grace period before the batch arrived")
                .register(registry);
        batchDuration = Timer.builder("processor.batch.duration")
                .description("Time to decode, aggregate and hand a micro-batch's partials to the producer: a poll's time shared equally among its micro-batches")
                .publishPercentileHistogram().register(registry);
        partialsPerBatch = DistributionSummary.builder("processor.partials.per.batch")
                .description("Partials messages (the series of a partition of partials share one) per micro-batch of the poll").register(registry);
    }

    /** A poll's micro-batches, aggregated together in {@code nanos}. */
    void processed(ProcessedBatch poll, long nanos) {
        batches.increment(poll.batches());
        records.increment(poll.records());
        lateRecords.increment(poll.lateRecords());
        double partialsEach = (double) poll.partials().size() / poll.batches();
        long nanosEach = nanos / poll.batches();
        for (int i = 0; i < poll.batches(); i++) {
            batchDuration.record(nanosEach, TimeUnit.NANOSECONDS);
            partialsPerBatch.record(partialsEach);
        }
    }
}
