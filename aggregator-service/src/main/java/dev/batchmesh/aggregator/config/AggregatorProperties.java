package dev.batchmesh.aggregator.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the aggregator ({@code aggregator.*}). Window size, retention and grace are the
 * pipeline-wide PIPELINE_* settings and must match the processor's, or partials are refused.
 * {@code decodedWindowsPerTask} bounds the recently merged windows each stream task keeps decoded,
 * so that merging into them again skips decoding the stored bytes (0 turns it off).
 * {@code fetchMaxWait} is how long the broker holds a fetch of {@code partials} that finds nothing
 * new: the stream thread reads committed partials only, and a transaction's commit does not end a
 * fetch already waiting, so the consumer's default (500 ms) added up to half a second before merged
 * partials showed in queries.
 */
@ConfigurationProperties("aggregator")
@Validated
public record AggregatorProperties(
        @DefaultValue("aggregator") @NotBlank String applicationId,
        @NotBlank String stateDir,
        @DefaultValue("127.0.0.1") @NotBlank String advertisedHost,
        @DefaultValue("partials") @NotBlank String inputTopic,
        @DefaultValue("PT10S") @NotNull Duration windowSize,
        @DefaultValue("PT24H") @NotNull Duration retention,
        @DefaultValue("PT5M") @NotNull Duration grace,
        @DefaultValue("PT1S") @NotNull Duration commitInterval,
        @DefaultValue("PT0.05S") @NotNull @DurationMin(millis = 1) @DurationMax(seconds = 30) Duration fetchMaxWait,
        @DefaultValue("1") @Min(1) @Max(64) int numStreamThreads,
        @DefaultValue("512") @Min(0) @Max(1_000_000) int decodedWindowsPerTask,
        @DefaultValue @Valid Topic topic,
        @DefaultValue @Valid RocksDb rocksdb,
        @DefaultValue @Valid Query query,
        @DefaultValue @Valid Live live,
        @DefaultValue @Valid Forward forward) {

    public AggregatorProperties {
        if (stateDir == null || stateDir.isBlank()) {
            stateDir = System.getProperty("java.io.tmpdir") + "/batchmesh-aggregator";
        }
    }

    /** The partials topic as declared by this service (a NewTopic bean; existing topics are left alone). */
    public record Topic(@DefaultValue("6") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicas) {
    }

    /**
     * Native memory of the window store's RocksDB instances, shared by all of them in the process.
     *
     * @param memory       block cache, index and filter blocks and memtables together
     * @param writeBuffers the part of {@code memory} memtables may take before they are flushed
     */
    public record RocksDb(@DefaultValue("64MB") @NotNull DataSize memory,
                          @DefaultValue("16MB") @NotNull DataSize writeBuffers) {

        @AssertTrue(message = "memory must be positive and at least write-buffers, which must be positive")
        boolean isBudgetValid() {
            return writeBuffers.toBytes() > 0 && memory.toBytes() >= writeBuffers.toBytes();
        }
    }

    /**
     * @param maxWindows   most output windows one aggregates query may produce
     * @param defaultRange range queried when {@code from} is absent: {@code [to - defaultRange, to)}
     * @param retryAfter   Retry-After of 503 answers while the state is restoring or rebalancing
     */
    public record Query(@DefaultValue("10000") @Min(1) int maxWindows,
                        @DefaultValue("PT1H") @NotNull Duration defaultRange,
                        @DefaultValue("PT1S") @NotNull Duration retryAfter) {
    }

    /** @param heartbeat interval of SSE comments that keep idle live connections open through proxies */
    public record Live(@DefaultValue("PT15S") @NotNull Duration heartbeat) {
    }

    /** Calls from one replica to another: forwarded key queries and scatter-gather of keys and summary. */
    public record Forward(@DefaultValue("PT2S") @NotNull Duration connectTimeout,
                          @DefaultValue("PT10S") @NotNull Duration responseTimeout) {
    }

    @AssertTrue(message = "window-size must be a positive whole number of milliseconds")
    boolean isWindowSizeValid() {
        return windowSize.isPositive() && windowSize.toNanosPart() % 1_000_000 == 0;
    }

    @AssertTrue(message = "retention must be at least the window size, grace must not be negative")
    boolean isRetentionValid() {
        return retention.compareTo(windowSize) >= 0 && !grace.isNegative();
    }

    /** How long the window store keeps a window: late partials may merge until the grace ends. */
    public Duration storeRetention() {
        return retention.plus(grace);
    }
}
