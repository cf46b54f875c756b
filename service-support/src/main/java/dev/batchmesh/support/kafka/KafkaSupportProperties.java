package dev.batchmesh.support.kafka;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Kafka health check and the consumer-lag gauges ({@code batchmesh.kafka.*}).
 *
 * @param health      the connectivity check in the readiness group
 * @param consumerLag the lag gauges of the service's own consumer group
 */
@Validated
@ConfigurationProperties("batchmesh.kafka")
public record KafkaSupportProperties(
        @DefaultValue @Valid Health health,
        @DefaultValue @Valid ConsumerLag consumerLag) {

    /**
     * @param timeout  how long one {@code describeCluster} may take before the check answers DOWN; keep it
     *                 below the readiness probe's timeout (1 s on Kubernetes unless set)
     * @param cacheFor how long an answer is reused, so frequent probes cost the broker one request per interval
     */
    public record Health(
            @DefaultValue("800ms") @NotNull @DurationMin(millis = 1) @DurationMax(minutes = 1) Duration timeout,
            @DefaultValue("5s") @NotNull @DurationMin(millis = 0) Duration cacheFor) {
    }

    /**
     * @param group    the consumer group whose lag is measured (a Kafka Streams application id is one);
     *                 no gauges when empty
     * @param topic    the topic the group consumes
     * @param interval time between two measurements
     * @param timeout  how long the admin requests of one measurement may take
     */
    public record ConsumerLag(
            String group,
            String topic,
            @DefaultValue("15s") @NotNull @DurationMin(millis = 100) Duration interval,
            @DefaultValue("5s") @NotNull @DurationMin(millis = 1) @DurationMax(minutes = 5) Duration timeout) {

        public boolean enabled() {
            return group != null && !group.isBlank();
        }

        @AssertTrue(message = "batchmesh.kafka.consumer-lag.topic must be set when a group is")
        public boolean isTopicSetWhenGroupIs() {
            return !enabled() || (topic != null && !topic.isBlank());
        }
    }
}
