package dev.batchmesh.batcher.config;

import dev.batchmesh.batcher.ingest.IngestLimits;
import dev.batchmesh.batcher.ingest.IngestMetrics;
import dev.batchmesh.batcher.ingest.RecordParser;
import dev.batchmesh.core.series.WindowSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The HTTP ingest side: parser and limits from {@code batcher.ingest.*}, the pipeline window and grace. */
@Configuration(proxyBeanMethods = false)
public class IngestConfig {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RecordParser recordParser(BatcherProperties properties) {
        return new RecordParser(properties.ingest().maxRecords(), WindowSpec.of(properties.windowSize()), properties.grace(),
                properties.ingest().maxFutureSkew());
    }

    @Bean
    IngestLimits ingestLimits(BatcherProperties properties) {
        return new IngestLimits((int) properties.ingest().maxBodySize().toBytes(), properties.buffer().maxWait());
    }

    @Bean
    IngestMetrics ingestMetrics(MeterRegistry registry) {
        return new IngestMetrics(registry);
    }
}
