package dev.batchmesh.batcher.config;

import dev.batchmesh.batcher.batching.BatchingMetrics;
import dev.batchmesh.batcher.batching.CycleAccumulator;
import dev.batchmesh.batcher.batching.CycleFlusher;
import dev.batchmesh.batcher.batching.CyclePublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Flush cycles from {@code batcher.batch.*} and {@code batcher.buffer.*}, published by whichever {@link CyclePublisher} is present. */
@Configuration(proxyBeanMethods = false)
public class BatchingConfig {

    private static final Duration STARTUP_RETRY_INTERVAL = Duration.ofSeconds(1);

    @Bean
    CycleAccumulator cycleAccumulator(BatcherProperties properties) {
        BatcherProperties.Batch batch = properties.batch();
        return new CycleAccumulator(batch.maxRecords(), batch.maxBytes().toBytes(), batch.linger().toNanos(),
                properties.buffer().maxBytes().toBytes(), System::nanoTime);
    }

    @Bean
    BatchingMetrics batchingMetrics(MeterRegistry registry, CycleAccumulator accumulator) {
        return new BatchingMetrics(registry, accumulator);
    }

    @Bean
    CycleFlusher cycleFlusher(CycleAccumulator accumulator, CyclePublisher publisher, BatchingMetrics metrics, BatcherProperties properties) {
        return new CycleFlusher(accumulator, publisher, metrics, properties.publish().timeout(), properties.publish().startupTimeout(),
                STARTUP_RETRY_INTERVAL);
    }
}
