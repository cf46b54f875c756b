package dev.batchmesh.processor.config;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Declares the topics this service writes. Existing topics are left as they are unless they have
 * fewer partitions; the partials partition count must match what the aggregator was sized for.
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfiguration {

    @Bean
    NewTopic partialsTopic(ProcessorProperties properties) {
        return TopicBuilder.name(properties.outputTopic())
                .partitions(properties.topics().partitions())
                .replicas(properties.topics().replicas())
                .build();
    }

    @Bean
    NewTopic deadLetterTopic(ProcessorProperties properties) {
        return TopicBuilder.name(properties.deadLetterTopic())
                .partitions(properties.topics().deadLetterPartitions())
                .replicas(properties.topics().replicas())
                .build();
    }
}
