package dev.batchmesh.processor.processing;

import dev.batchmesh.core.partial.MicroBatchAggregator;
import dev.batchmesh.core.series.WindowSpec;
import dev.batchmesh.processor.config.ProcessorProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

@Configuration(proxyBeanMethods = false)
class ProcessingConfiguration {

    @Bean
    MicroBatchTransformer microBatchTransformer(ProcessorProperties properties) {
        MicroBatchAggregator aggregator = new MicroBatchAggregator(WindowSpec.of(properties.windowSize()),
                properties.grace().toMillis(), properties.sketchK());
        return new MicroBatchTransformer(aggregator, properties.outputTopic(), properties.partialsMessageMaxBytes());
    }

    @Bean
    ProcessorMetrics microBatchMetrics(MeterRegistry registry) {
        return new ProcessorMetrics(registry);
    }

    @Bean
    FencedConsumerHandler fencedConsumerHandler(KafkaListenerEndpointRegistry registry, ApplicationEventPublisher events) {
        return new FencedConsumerHandler(registry, events);
    }

    @Bean
    MicroBatchListener microBatchListener(MicroBatchTransformer transformer, KafkaTemplate<byte[], byte[]> template,
                                          ProcessorMetrics metrics, ProcessorProperties properties,
                                          ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
                                          ConsumerRecordRecoverer deadLetterRecoverer) {
        ProcessingSpans spans = tracer.getIfAvailable() == null || propagator.getIfAvailable() == null ? ProcessingSpans.disabled()
                : new ProcessingSpans(tracer.getObject(), propagator.getObject());
        return new MicroBatchListener(transformer, template, metrics, properties, spans, deadLetterRecoverer);
    }
}
