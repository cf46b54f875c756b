package dev.batchmesh.processor.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the processor ({@code processor.*}).
 *
 * @param inputTopic      micro-batches to consume
 * @param outputTopic     where partials go, the series of one partition together
 * @param partialsMessageMaxBytes a partials message is cut before a series that would take it past
 *                        this; under the producer's {@code max.request.size} (1 MB by default)
 * @param deadLetterTopic micro-batches that cannot be decoded
 * @param groupId         the consumer group all replicas share
 * @param concurrency     consumers (and transactional producers) per process
 * @param sketchK         KLL sketch accuracy parameter of every partial
 * @param windowSize      the pipeline's base window (PIPELINE_WINDOW_SIZE)
 * @param grace           how long after a window ends its records still count (PIPELINE_GRACE)
 * @param instanceId      unique per process; makes the transactional ids unique
 * @param topics          partitions and replicas of the topics this service declares
 */
@Validated
@ConfigurationProperties("processor")
public record ProcessorProperties(
        @DefaultValue("microbatches") @NotBlank String inputTopic,
        @DefaultValue("partials") @NotBlank String outputTopic,
        @DefaultValue("262144") @Min(1_024) @Max(1_000_000) int partialsMessageMaxBytes,
        @DefaultValue("microbatches-dlt") @NotBlank String deadLetterTopic,
        @DefaultValue("processor") @NotBlank String groupId,
        @DefaultValue("1") @Min(1) @Max(64) int concurrency,
        @DefaultValue("200") @Min(8) @Max(65_535) int sketchK,
        @DefaultValue("PT10S") @NotNull @DurationMin(millis = 1) Duration windowSize,
        @DefaultValue("PT5M") @NotNull @DurationMin(millis = 0) Duration grace,
        @DefaultValue("local") @NotBlank String instanceId,
        @DefaultValue @Valid Topics topics) {

    /**
     * @param partitions           partitions of the partials topic; must equal the aggregator's view
     * @param deadLetterPartitions partitions of the dead-letter topic (ordering does not matter there)
     * @param replicas             replication factor of both
     */
    public record Topics(
            @DefaultValue("6") @Min(1) int partitions,
            @DefaultValue("1") @Min(1) int deadLetterPartitions,
            @DefaultValue("1") @Min(1) short replicas) {
    }
}
