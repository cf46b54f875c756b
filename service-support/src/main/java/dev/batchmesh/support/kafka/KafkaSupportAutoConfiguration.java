package dev.batchmesh.support.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * One admin client, configured like the service's {@link KafkaAdmin} (bootstrap servers, TLS), serves
 * the health check and the lag gauges; it is separate from the clients that move data, so neither
 * waits behind the other.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnBean(KafkaAdmin.class)
@EnableConfigurationProperties(KafkaSupportProperties.class)
public class KafkaSupportAutoConfiguration {

    @Bean
    SupportAdmin kafkaSupportAdmin(KafkaAdmin kafkaAdmin, @Value("${spring.application.name:service}") String application) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, application + "-support");
        return new SupportAdmin(Admin.create(config));
    }

    @Bean
    @ConditionalOnEnabledHealthIndicator("kafka")
    KafkaConnectivityHealthIndicator kafkaHealthIndicator(SupportAdmin kafkaSupportAdmin, KafkaSupportProperties properties) {
        KafkaSupportProperties.Health health = properties.health();
        return new KafkaConnectivityHealthIndicator(kafkaSupportAdmin.admin(), health.timeout(), health.cacheFor(), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnExpression("'${batchmesh.kafka.consumer-lag.group:}' != ''")
    ConsumerLagGauges consumerLagGauges(SupportAdmin kafkaSupportAdmin, KafkaSupportProperties properties, MeterRegistry registry) {
        KafkaSupportProperties.ConsumerLag lag = properties.consumerLag();
        return new ConsumerLagGauges(new ConsumerLagReader(kafkaSupportAdmin.admin(), lag.timeout()), lag.group(), lag.topic(),
                lag.interval(), registry);
    }
}
