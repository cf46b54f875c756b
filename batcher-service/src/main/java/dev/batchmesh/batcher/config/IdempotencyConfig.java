package dev.batchmesh.batcher.config;

import dev.batchmesh.batcher.idempotency.IdempotencyGuard;
import dev.batchmesh.batcher.idempotency.IdempotencyHealthIndicator;
import dev.batchmesh.batcher.idempotency.IdempotencyLedger;
import dev.batchmesh.batcher.idempotency.IdempotencyMetrics;
import dev.batchmesh.batcher.idempotency.IdempotencyReader;
import dev.batchmesh.batcher.idempotency.KafkaClaimWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/**
 * The Idempotency-Key machinery: the {@code ingest-idempotency} log topic, the reader that keeps this
 * replica's ledger, and the guard on the request path.
 *
 * <p>Claim TTL = transaction timeout + 5 publish timeouts. After its claim was appended, a winner's
 * transaction starts on the coordinator at the latest one claim confirmation (≤ publish timeout), one
 * buffer wait (≤ max-wait ≤ publish timeout), one cycle queueing (≤ publish timeout, after which the
 * flusher fails the cycle unsent) and one blocked send (max.block.ms = publish timeout) later, and the
 * coordinator aborts it one transaction timeout after that; the fifth publish timeout is margin for
 * network delays and broker clock differences. So a crashed claimant's claim expires only once its
 * records can no longer commit. Defaults: 15 s + 5 × 5 s = 40 s.
 */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfig {

    @Bean
    IdempotencyLedger idempotencyLedger(KafkaProperties kafka, BatcherProperties properties) {
        return new IdempotencyLedger(properties.idempotency().horizon().toMillis(), claimTtl(kafka, properties).toMillis());
    }

    static Duration claimTtl(KafkaProperties kafka, BatcherProperties properties) {
        return Duration.ofMillis(KafkaConfig.transactionTimeoutMillis(kafka, properties)).plus(properties.publish().timeout().multipliedBy(5));
    }

    /**
     * Time-based retention, not compaction: compaction keeps only the newest value of a Kafka key, so a
     * losing claim written after a COMMITTED would shadow it and a replica rebuilding from the log could
     * accept the repeat again. Deleting whole segments older than horizon + claim TTL + 1 h keeps every
     * record that can still decide anything, in order. LogAppendTime puts every expiry on the broker's clock.
     * The partition count must never change: a key's claims and commit must stay in one partition.
     */
    @Bean
    NewTopic idempotencyTopic(KafkaProperties kafka, BatcherProperties properties) {
        BatcherProperties.Idempotency idempotency = properties.idempotency();
        Duration retention = idempotency.horizon().plus(claimTtl(kafka, properties)).plusHours(1);
        Duration segment = idempotency.horizon().compareTo(Duration.ofHours(1)) < 0 ? idempotency.horizon() : Duration.ofHours(1);
        return TopicBuilder.name(idempotency.topic()).partitions(idempotency.partitions()).replicas(properties.topic().replicas())
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()))
                .config(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(segment.toMillis()))
                .config(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")
                .build();
    }

    @Bean
    IdempotencyReader idempotencyReader(KafkaProperties kafka, KafkaConnectionDetails connection, BatcherProperties properties,
            IdempotencyLedger ledger, Clock clock) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.getConsumer().getBootstrapServers());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "batcher-idempotency-" + properties.instanceId());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new IdempotencyReader(() -> new KafkaConsumer<>(config), properties.idempotency().topic(), ledger, clock);
    }

    @Bean
    IdempotencyMetrics idempotencyMetrics(MeterRegistry registry, IdempotencyLedger ledger) {
        return new IdempotencyMetrics(registry, ledger);
    }

    @Bean
    IdempotencyHealthIndicator idempotencyHealthIndicator(IdempotencyLedger ledger) {
        return new IdempotencyHealthIndicator(ledger);
    }

    /** Its own non-transactional factory, not a bean: Boot's KafkaTemplate and the micro-batch factory stay the only ones. */
    @Bean
    KafkaClaimWriter idempotencyClaimWriter(KafkaProperties kafka, KafkaConnectionDetails connection, BatcherProperties properties) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.getProducer().getBootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.publish().timeout().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(1_000, properties.publish().timeout().toMillis()));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1_000, properties.publish().timeout().toMillis()));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "batcher-claims-" + properties.instanceId());
        return new KafkaClaimWriter(new DefaultKafkaProducerFactory<>(config), properties.idempotency().topic());
    }

    @Bean
    IdempotencyGuard idempotencyGuard(KafkaClaimWriter claimWriter, BatcherProperties properties, IdempotencyLedger ledger, Clock clock,
            IdempotencyMetrics metrics) {
        BatcherProperties.Idempotency idempotency = properties.idempotency();
        return new IdempotencyGuard(ledger, claimWriter, idempotency.topic(), properties.instanceId(),
                idempotency.inFlightWait(), properties.publish().timeout(), clock, metrics);
    }
}
