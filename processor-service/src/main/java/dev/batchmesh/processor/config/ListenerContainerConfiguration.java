package dev.batchmesh.processor.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * Adjusts the containers Boot's factory builds. The factory is already transactional: Boot gives it
 * the KafkaTransactionManager it creates from {@code spring.kafka.producer.transaction-id-prefix},
 * and spring-kafka then sends the consumed offsets into each transaction (EOS mode v2).
 */
@Configuration(proxyBeanMethods = false)
class ListenerContainerConfiguration {

    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> stopWhenFenced() {
        // a fenced producer means another instance owns our partitions' transactions now: stop
        // consuming instead of carrying on and committing past records this instance never produced for
        return container -> container.getContainerProperties().setStopContainerWhenFenced(true);
    }
}
