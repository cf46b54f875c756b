package dev.batchmesh.aggregator.config;

import dev.batchmesh.aggregator.live.WindowUpdateHub;
import dev.batchmesh.aggregator.merge.AggregatorStreams;
import dev.batchmesh.aggregator.merge.KafkaStreamsHealthIndicator;
import dev.batchmesh.aggregator.merge.MergeMetrics;
import dev.batchmesh.aggregator.merge.MergeTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

@Configuration(proxyBeanMethods = false)
class AggregatorConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    WindowUpdateHub windowUpdateHub() {
        return new WindowUpdateHub();
    }

    @Bean
    MergeMetrics mergeMetrics(MeterRegistry registry) {
        return new MergeMetrics(registry);
    }

    @Bean
    AggregatorStreams aggregatorStreams(AggregatorProperties properties, KafkaProperties kafkaProperties,
                                        MergeMetrics mergeMetrics, WindowUpdateHub hub, MeterRegistry registry,
                                        ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        MergeTracing tracing = tracer.getIfAvailable() == null || propagator.getIfAvailable() == null ? MergeTracing.NONE
                : new MergeTracing(tracer.getObject(), propagator.getObject());
        return new AggregatorStreams(properties, kafkaProperties.buildStreamsProperties(), mergeMetrics, hub, registry, tracing);
    }

    @Bean
    KafkaStreamsHealthIndicator kafkaStreamsHealthIndicator(AggregatorStreams streams) {
        return new KafkaStreamsHealthIndicator(streams);
    }

    /** Declared so a fresh cluster gets the topic with the intended partitions; an existing one is left alone. */
    @Bean
    NewTopic partialsTopic(AggregatorProperties properties) {
        return new NewTopic(properties.inputTopic(), properties.topic().partitions(), properties.topic().replicas());
    }

    /** For replica-to-replica calls: short connect timeout, a replica that went away fails fast. */
    @Bean
    WebClient replicaWebClient(AggregatorProperties properties) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.forward().connectTimeout().toMillis());
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }
}
