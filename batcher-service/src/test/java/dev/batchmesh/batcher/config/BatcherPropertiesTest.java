package dev.batchmesh.batcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class BatcherPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Enable.class);

    @Test
    void shouldDefaultToTheDocumentedValues() {
        runner.run(context -> {
            BatcherProperties properties = context.getBean(BatcherProperties.class);
            assertThat(properties.instanceId()).endsWith("-" + ProcessHandle.current().pid());
            assertThat(properties.windowSize()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.grace()).isEqualTo(Duration.ofMinutes(5));
            assertThat(properties.ingest().maxBodySize()).isEqualTo(DataSize.ofMegabytes(4));
            assertThat(properties.ingest().maxRecords()).isEqualTo(10_000);
            assertThat(properties.ingest().maxFutureSkew()).isEqualTo(Duration.ofMinutes(1));
            assertThat(properties.batch().maxRecords()).isEqualTo(5_000);
            assertThat(properties.batch().maxBytes()).isEqualTo(DataSize.ofKilobytes(512));
            assertThat(properties.batch().linger()).isEqualTo(Duration.ofMillis(10));
            assertThat(properties.buffer().maxBytes()).isEqualTo(DataSize.ofMegabytes(64));
            assertThat(properties.buffer().maxWait()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.publish().timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.idempotency().topic()).isEqualTo("ingest-idempotency");
            assertThat(properties.idempotency().partitions()).isEqualTo(6);
            assertThat(properties.idempotency().horizon()).isEqualTo(Duration.ofHours(24));
            assertThat(properties.idempotency().inFlightWait()).isEqualTo(Duration.ofSeconds(2));
            assertThat(properties.topic().name()).isEqualTo("microbatches");
            assertThat(properties.topic().partitions()).isEqualTo(6);
            assertThat(properties.topic().replicas()).isEqualTo(1);
        });
    }

    @Test
    void shouldRefuseToStartWithInvalidSettings() {
        runner.withPropertyValues("batcher.topic.partitions=0").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("batcher.window-size=PT0S").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("batcher.batch.max-bytes=0B").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("batcher.topic.name= ").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("batcher.idempotency.horizon=PT30S").run(context -> assertThat(context).hasFailed());
    }

    @Test
    void shouldRefuseABufferWaitLongerThanThePublishTimeout() {
        runner.withPropertyValues("batcher.buffer.max-wait=PT6S").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("batcher.buffer.max-wait=PT3S", "batcher.publish.timeout=PT2S")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("batcher.buffer.max-wait=PT5S").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void shouldKeepAnExplicitInstanceId() {
        runner.withPropertyValues("batcher.instance-id=batcher-7").run(context ->
                assertThat(context.getBean(BatcherProperties.class).instanceId()).isEqualTo("batcher-7"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(BatcherProperties.class)
    static class Enable {
    }
}
