package dev.batchmesh.batcher.batching;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** Meters of the batching and publishing path, all in base units and without per-series tags. */
public final class BatchingMetrics {

    private final Counter accepted;
    private final DistributionSummary batchRecords;
    private final DistributionSummary batchBytes;
    private final Timer publishLatency;

    public BatchingMetrics(MeterRegistry registry, CycleAccumulator accumulator) {
        // Counted at the commit, not when the 202 is written: a client that hung up still had its records accepted.
        this.accepted = Counter.builder("batcher.records.accepted")
                .description("Records whose Kafka transaction committed")
                .register(registry);
        this.batchRecords = DistributionSummary.builder("batcher.batch.records")
                .description("Records per published micro-batch message")
                .publishPercentileHistogram()
                .register(registry);
        this.batchBytes = DistributionSummary.builder("batcher.batch.bytes")
                .description("Encoded size of published micro-batch messages")
                .baseUnit("bytes")
                .publishPercentileHistogram()
                .register(registry);
        this.publishLatency = Timer.builder("batcher.publish.latency")
                .description("Time to publish and commit one flush cycle's Kafka transaction")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("batcher.buffer.bytes", accumulator, CycleAccumulator::bufferedBytes)
                .description("Estimated encoded bytes of pending and in-flight records")
                .baseUnit("bytes")
                .register(registry);
    }

    /** One micro-batch message, recorded once its transaction committed. */
    public void batchPublished(int records, int bytes) {
        batchRecords.record(records);
        batchBytes.record(bytes);
    }

    public void cycleCommitted(int records, long nanos) {
        accepted.increment(records);
        publishLatency.record(nanos, TimeUnit.NANOSECONDS);
    }
}
