package dev.batchmesh.batcher.config;

import dev.batchmesh.batcher.batching.BatchingMetrics;
import dev.batchmesh.batcher.publish.BatchSpans;
import dev.batchmesh.batcher.publish.KafkaCyclePublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The transactional producer of micro-batches. Spring Kafka's producer factory and
 * {@link KafkaTemplate#executeInTransaction} rather than a hand-held KafkaProducer: they abort a failed
 * transaction, and close and replace a producer after a fatal error (fenced, or a commit that timed out
 * and may not be retried with another operation), which is easy to get wrong by hand. The connection
 * and client settings still come from Boot's {@code spring.kafka.*} properties; the guarantees the
 * batcher depends on are forced here.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    private static final long MIN_MAX_REQUEST_SIZE = 1024 * 1024;

    @Bean
    NewTopic microbatchesTopic(BatcherProperties properties) {
        BatcherProperties.Topic topic = properties.topic();
        return TopicBuilder.name(topic.name()).partitions(topic.partitions()).replicas(topic.replicas()).build();
    }

    @Bean
    ProducerFactory<byte[], byte[]> microBatchProducerFactory(KafkaProperties kafka, KafkaConnectionDetails connection,
            BatcherProperties properties, MeterRegistry meterRegistry) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.getProducer().getBootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Cycles are our batches and every commit flushes: producer-side lingering would only add latency.
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Bounds every blocking producer call (metadata, send, commit, abort), so a cycle fails within
        // about the publish timeout when Kafka is unreachable instead of hanging its requests.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.publish().timeout().toMillis());
        // A crashed batcher's open transaction blocks read_committed consumers of its partitions until
        // the coordinator aborts it; keep that short, but well above one publish.
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, transactionTimeoutMillis(kafka, properties));
        // Batches are cut by the estimated size; leave room for an estimate that falls short.
        config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                (int) Math.max(MIN_MAX_REQUEST_SIZE, 2 * properties.batch().maxBytes().toBytes()));
        DefaultKafkaProducerFactory<byte[], byte[]> factory = new DefaultKafkaProducerFactory<>(config);
        factory.setTransactionIdPrefix("batcher-" + properties.instanceId() + "-");
        // After a failed begin/commit/abort the factory closes the producer for good (its CloseSafeProducer
        // records the failure and close() evicts it) and the next cycle gets a fresh one, so ingest recovers
        // by itself once Kafka is back. That close waits up to this timeout (default 30 s) on the flusher
        // thread: bound it by the publish timeout so answers stay prompt while Kafka is down.
        factory.setPhysicalCloseTimeout((int) Math.max(1, properties.publish().timeout().toSeconds()));
        // Boot binds Kafka client metrics only to factories it builds itself
        factory.addListener(new MicrometerProducerListener<>(meterRegistry));
        return factory;
    }

    /**
     * The producer's transaction timeout: {@code spring.kafka.producer.properties.transaction.timeout.ms}
     * if set, else three publish timeouts and at least 10 s. The idempotency claim TTL derives from it.
     */
    static int transactionTimeoutMillis(KafkaProperties kafka, BatcherProperties properties) {
        Object configured = kafka.getProducer().getProperties().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        if (configured != null) {
            return Integer.parseInt(configured.toString());
        }
        return (int) Math.max(10_000, properties.publish().timeout().multipliedBy(3).toMillis());
    }

    @Bean
    KafkaTemplate<byte[], byte[]> microBatchTemplate(ProducerFactory<byte[], byte[]> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }

    @Bean
    KafkaCyclePublisher kafkaCyclePublisher(KafkaTemplate<byte[], byte[]> template, BatcherProperties properties, BatchingMetrics metrics,
            ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        BatchSpans spans = tracer.getIfAvailable() == null || propagator.getIfAvailable() == null ? BatchSpans.disabled()
                : new BatchSpans(tracer.getObject(), propagator.getObject(), properties.publish().maxSpanLinks());
        return new KafkaCyclePublisher(template, properties.topic().name(), properties.batch().maxRecords(),
                properties.batch().maxBytes().toBytes(), metrics, spans);
    }
}
