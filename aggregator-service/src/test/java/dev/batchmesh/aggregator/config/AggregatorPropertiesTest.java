package dev.batchmesh.aggregator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class AggregatorPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Enabled.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AggregatorProperties.class)
    static class Enabled {
    }

    @Test
    void shouldWorkLocallyWithDefaults() {
        context.run(c -> {
            AggregatorProperties properties = c.getBean(AggregatorProperties.class);
            assertThat(properties.applicationId()).isEqualTo("aggregator");
            assertThat(properties.inputTopic()).isEqualTo("partials");
            assertThat(properties.windowSize()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.storeRetention()).isEqualTo(Duration.ofHours(24).plusMinutes(5));
            assertThat(properties.stateDir()).startsWith(System.getProperty("java.io.tmpdir"));
            assertThat(properties.query().maxWindows()).isEqualTo(10_000);
            assertThat(properties.query().defaultRange()).isEqualTo(Duration.ofHours(1));
            assertThat(properties.live().heartbeat()).isEqualTo(Duration.ofSeconds(15));
            assertThat(properties.topic().partitions()).isEqualTo(6);
            assertThat(properties.numStreamThreads()).isEqualTo(1);
            assertThat(properties.commitInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.decodedWindowsPerTask()).isEqualTo(512);
            assertThat(properties.rocksdb().memory()).isEqualTo(DataSize.ofMegabytes(64));
            assertThat(properties.rocksdb().writeBuffers()).isEqualTo(DataSize.ofMegabytes(16));
        });
    }

    @Test
    void shouldRefuseARocksDbBudgetSmallerThanItsWriteBuffers() {
        context.withPropertyValues("aggregator.rocksdb.memory=8MB", "aggregator.rocksdb.write-buffers=16MB")
                .run(c -> assertThat(c.getStartupFailure()).hasStackTraceContaining("at least write-buffers"));
    }

    @Test
    void shouldRefuseToStartWithAWindowThatIsNotWholeMilliseconds() {
        context.withPropertyValues("aggregator.window-size=PT0.0005S")
                .run(c -> assertThat(c.getStartupFailure()).hasStackTraceContaining("whole number of milliseconds"));
    }

    @Test
    void shouldRefuseToStartWithARetentionShorterThanTheWindow() {
        context.withPropertyValues("aggregator.window-size=PT1M", "aggregator.retention=PT30S")
                .run(c -> assertThat(c.getStartupFailure()).hasStackTraceContaining("retention must be at least"));
    }
}
