package dev.batchmesh.batcher.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the batcher, under the prefix {@code batcher}. The defaults work for a local run;
 * {@code window-size} and {@code grace} come from the pipeline-wide PIPELINE_WINDOW_SIZE and
 * PIPELINE_GRACE so the batcher rejects exactly the records a processor would drop as late.
 */
@Validated
@ConfigurationProperties("batcher")
public record BatcherProperties(
        /* Unique per process, stable per pod name: the transactional id of the producer derives from it. */
        @NotBlank String instanceId,
        @NotNull @DurationMin(millis = 1) @DefaultValue("PT10S") Duration windowSize,
        @NotNull @DurationMin(millis = 0) @DefaultValue("PT5M") Duration grace,
        @Valid @NotNull @DefaultValue Ingest ingest,
        @Valid @NotNull @DefaultValue Batch batch,
        @Valid @NotNull @DefaultValue Buffer buffer,
        @Valid @NotNull @DefaultValue Publish publish,
        @Valid @NotNull @DefaultValue Topic topic,
        @Valid @NotNull @DefaultValue Idempotency idempotency) {

    public BatcherProperties {
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = defaultInstanceId();
        }
        // A request waiting for buffer space must not outlast the cycles it waits for: those fail
        // within the publish timeout when Kafka is down, so this bound keeps every answer prompt.
        if (buffer != null && publish != null && buffer.maxWait() != null && publish.timeout() != null
                && buffer.maxWait().compareTo(publish.timeout()) > 0) {
            throw new IllegalArgumentException("batcher.buffer.max-wait (" + buffer.maxWait()
                    + ") must be at most batcher.publish.timeout (" + publish.timeout() + ")");
        }
    }

    /** POD_NAME or HOSTNAME plus the process id: two processes on one host never share a transactional id. */
    static String defaultInstanceId() {
        String host = System.getenv("POD_NAME");
        if (host == null || host.isBlank()) {
            host = System.getenv("HOSTNAME");
        }
        if (host == null || host.isBlank()) {
            host = "local";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    public record Ingest(
            @NotNull @DefaultValue("4MB") DataSize maxBodySize,
            @Min(1) @Max(1_000_000) @DefaultValue("10000") int maxRecords,
            @NotNull @DurationMin(millis = 0) @DefaultValue("PT1M") Duration maxFutureSkew) {

        public Ingest {
            requirePositive(maxBodySize, "batcher.ingest.max-body-size");
            if (maxBodySize != null && maxBodySize.toBytes() > Integer.MAX_VALUE - 64) {
                throw new IllegalArgumentException("batcher.ingest.max-body-size must be below 2GB");
            }
        }
    }

    public record Batch(
            @Min(1) @DefaultValue("5000") int maxRecords,
            @NotNull @DefaultValue("512KB") DataSize maxBytes,
            @NotNull @DurationMin(millis = 0) @DefaultValue("PT0.01S") Duration linger) {

        public Batch {
            requirePositive(maxBytes, "batcher.batch.max-bytes");
        }
    }

    /**
     * {@code maxBytes} bounds pending plus in-flight records, as estimated encoded bytes; a request that
     * does not fit waits at most {@code maxWait} for room, then gets 503.
     */
    public record Buffer(
            @NotNull @DefaultValue("64MB") DataSize maxBytes,
            @NotNull @DurationMin(millis = 0) @DefaultValue("PT1S") Duration maxWait) {

        public Buffer {
            requirePositive(maxBytes, "batcher.buffer.max-bytes");
        }
    }

    /**
     * Publishing a cycle: how long a request waits for its transaction ({@code timeout}), how many
     * ingest spans a micro-batch's span links to at most ({@code maxSpanLinks}; the rest are only
     * counted), and how long the batcher waits at start for Kafka to take transactions before it
     * gives up ({@code startupTimeout}).
     */
    public record Publish(
            @NotNull @DurationMin(millis = 100) @DefaultValue("PT5S") Duration timeout,
            @Min(0) @Max(10_000) @DefaultValue("128") int maxSpanLinks,
            @NotNull @DurationMin(millis = 0) @DefaultValue("PT2M") Duration startupTimeout) {
    }

    /**
     * Idempotency-Key handling: the log topic of claims and commits, how long a committed key is
     * remembered ({@code horizon}) and how long a repeat waits for an in-flight original ({@code inFlightWait}).
     */
    public record Idempotency(
            @NotBlank @DefaultValue("ingest-idempotency") String topic,
            @Min(1) @DefaultValue("6") int partitions,
            @NotNull @DurationMin(minutes = 1) @DefaultValue("PT24H") Duration horizon,
            @NotNull @DurationMin(millis = 0) @DefaultValue("PT2S") Duration inFlightWait) {
    }

    public record Topic(
            @NotBlank @DefaultValue("microbatches") String name,
            @Min(1) @DefaultValue("6") int partitions,
            @Min(1) @Max(Short.MAX_VALUE) @DefaultValue("1") int replicas) {
    }

    private static void requirePositive(DataSize size, String name) {
        if (size != null && size.toBytes() <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + size);
        }
    }
}
