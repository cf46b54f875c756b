package dev.batchmesh.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KafkaSupportAutoConfigurationTest {

    // nothing listens there; no test here waits for the broker
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaSupportAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:9");

    @Test
    void shouldContributeTheKafkaHealthIndicatorButNoLagGaugesWithoutAGroup() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(KafkaConnectivityHealthIndicator.class).hasBean("kafkaHealthIndicator")
                    .doesNotHaveBean(ConsumerLagGauges.class);
            assertThat(context.getBean(MeterRegistry.class).find("batchmesh.consumer.lag").gauge()).isNull();
        });
    }

    @Test
    void shouldRegisterTheLagGaugesOfTheConfiguredGroupAndTopic() {
        runner.withPropertyValues("batchmesh.kafka.consumer-lag.group=processor", "batchmesh.kafka.consumer-lag.topic=microbatches")
                .run(context -> {
                    assertThat(context).hasSingleBean(ConsumerLagGauges.class);
                    assertThat(context.getBean(MeterRegistry.class).find("batchmesh.consumer.lag")
                            .tags("group", "processor", "topic", "microbatches").gauge()).isNotNull();
                });
    }

    @Test
    void shouldRefuseToStartWithAGroupButNoTopic() {
        runner.withPropertyValues("batchmesh.kafka.consumer-lag.group=processor")
                .run(context -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining("topic must be set"));
    }

    @Test
    void shouldRefuseAHealthTimeoutOfZero() {
        runner.withPropertyValues("batchmesh.kafka.health.timeout=0s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void shouldBackOffWhenHealthIndicatorIsDisabled() {
        runner.withPropertyValues("management.health.kafka.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(KafkaConnectivityHealthIndicator.class));
    }
}
