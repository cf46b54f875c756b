package dev.batchmesh.bench.drain;

import dev.batchmesh.bench.workload.Arguments;
import dev.batchmesh.bench.workload.TimestampPattern;
import dev.batchmesh.bench.workload.WorkloadSpec;
import dev.batchmesh.core.contract.PipelineTopics;
import java.time.Duration;
import java.util.Locale;

/**
 * Command line of {@link DrainLoader}; the workload options of {@link WorkloadSpec#from} come on top.
 *
 * <pre>
 * --bootstrap HOST:PORT            the broker (required)
 * --records N                      records to load (5000000)
 * --batch-records N                records per micro-batch (1000; the batcher cuts at most 5000 by default)
 * --topic T                        (microbatches)
 * --tenant T / --stream S          the series' tenant and stream (dev, latency)
 * --producer transactional|idempotent
 *                                  transactional, as the batcher writes (default), or idempotent only
 * --messages-per-transaction N     micro-batches per transaction (60: ten per partition, a busy batcher cycle)
 * --window D / --grace D           the processor's window and grace (PT10S, PT5M), to refuse records it would drop as late
 * --start TIME                     first event time; by default the load's start minus the event-time span of
 *                                  the records, so the backlog ends when the load begins and no window is late
 * </pre>
 */
record LoadOptions(String bootstrap, long records, int batchRecords, String topic, String tenant, String stream,
                   boolean transactional, int messagesPerTransaction, Duration window, Duration grace,
                   WorkloadSpec workload) {

    LoadOptions {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("--bootstrap is required");
        }
        if (records < 1 || batchRecords < 1 || messagesPerTransaction < 1) {
            throw new IllegalArgumentException("--records, --batch-records and --messages-per-transaction must be positive");
        }
        if (workload.timestamps().jitterMillis() >= grace.toMillis()) {
            throw new IllegalArgumentException("--jitter-ms must stay below the grace period, or records are dropped as late");
        }
    }

    static LoadOptions from(Arguments args, long nowMillis) {
        long records = args.longValue("records", 5_000_000);
        boolean startGiven = args.string("start", null) != null;
        WorkloadSpec workload = WorkloadSpec.from(args);
        if (!startGiven) {
            workload = endingAt(workload, records, nowMillis);
        }
        String producer = args.string("producer", "transactional").toLowerCase(Locale.ROOT);
        if (!producer.equals("transactional") && !producer.equals("idempotent")) {
            throw new IllegalArgumentException("--producer must be transactional or idempotent, was " + producer);
        }
        return new LoadOptions(
                args.string("bootstrap", null),
                records,
                args.integer("batch-records", 1000),
                args.string("topic", PipelineTopics.MICROBATCHES),
                args.string("tenant", "dev"),
                args.string("stream", "latency"),
                producer.equals("transactional"),
                args.integer("messages-per-transaction", 60),
                args.duration("window", Duration.ofSeconds(10)),
                args.duration("grace", Duration.ofMinutes(5)),
                workload);
    }

    /** The same workload shifted in time so that its last nominal event time is {@code endMillis}. */
    static WorkloadSpec endingAt(WorkloadSpec workload, long records, long endMillis) {
        TimestampPattern t = workload.timestamps();
        long span = t.nominalMillis(records - 1) - t.startMillis();
        return new WorkloadSpec(workload.keys(), workload.values(), workload.valueDecimals(),
                new TimestampPattern(endMillis - span, t.eventsPerSecond(), t.jitterMillis()), workload.seed());
    }
}
