package dev.batchmesh.batcher.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Refused ingest requests (accepted records are counted at the commit, by the batching side). Records are counted where their number is known; requests refused before their
 * body was parsed (401, 415, 413, malformed) only count in {@code batcher.requests.rejected}.
 * The {@code reason} tag comes from the fixed {@link RejectReason} set.
 */
public final class IngestMetrics {

    private final Map<RejectReason, Counter> rejectedRecords = new EnumMap<>(RejectReason.class);
    private final Map<RejectReason, Counter> rejectedRequests = new EnumMap<>(RejectReason.class);

    public IngestMetrics(MeterRegistry registry) {
        for (RejectReason reason : RejectReason.values()) {
            rejectedRecords.put(reason, Counter.builder("batcher.records.rejected")
                    .description("Records of refused requests")
                    .tag("reason", reason.tag())
                    .register(registry));
            rejectedRequests.put(reason, Counter.builder("batcher.requests.rejected")
                    .description("Refused ingest requests")
                    .tag("reason", reason.tag())
                    .register(registry));
        }
    }

    public void rejected(RejectReason reason, int records) {
        rejectedRequests.get(reason).increment();
        if (records > 0) {
            rejectedRecords.get(reason).increment(records);
        }
    }
}
