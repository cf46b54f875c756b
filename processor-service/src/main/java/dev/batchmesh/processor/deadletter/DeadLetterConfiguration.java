package dev.batchmesh.processor.deadletter;

import dev.batchmesh.core.codec.MalformedDataException;
import dev.batchmesh.processor.config.ProcessorProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.BackOff;

/**
 * Poison micro-batches go to the dead-letter topic and never block their partition. The listener
 * hands a micro-batch that does not decode or aggregate to the recoverer inside its transaction:
 * the dead letter and the offset commit past it are part of that transaction, and retrying cannot
 * help. A poll whose transaction fails (a send refused, the commit itself) is retried with back-off
 * by the after-rollback processor, and dead-lettered whole only when every retry failed.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterConfiguration.class);

    @Bean
    ConsumerRecordRecoverer deadLetterRecoverer(KafkaTemplate<byte[], byte[]> template, ProcessorProperties properties,
                                                MeterRegistry registry) {
        // partition -1: the producer picks one, so the dead-letter topic may have fewer partitions
        DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(template,
                (message, failure) -> new TopicPartition(properties.deadLetterTopic(), -1));
        publisher.setHeadersFunction((message, failure) -> {
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetterReason.HEADER, DeadLetterReason.of(failure).headerValue());
            return headers;
        });
        Map<DeadLetterReason, Counter> deadLettered = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLettered.put(reason, Counter.builder("processor.batches.dead.lettered")
                    .description("Micro-batches sent to the dead-letter topic").tag("reason", reason.tag())
                    .register(registry));
        }
        return (message, failure) -> {
            DeadLetterReason reason = DeadLetterReason.of(failure);
            publisher.accept(message, failure);
            deadLettered.get(reason).increment();
            log.warn("Dead-lettered the micro-batch at {}-{}@{} to {} ({}): {}", message.topic(), message.partition(),
                    message.offset(), properties.deadLetterTopic(), reason.tag(), rootMessage(failure));
        };
    }

    /**
     * When a poll's transaction fails, its records are redelivered; after the retries its micro-batches
     * are dead-lettered in a new transaction rather than skipped with only a log line, which is what
     * the default after-rollback processor would do.
     */
    @Bean
    DefaultAfterRollbackProcessor<Object, Object> microBatchAfterRollbackProcessor(
            ConsumerRecordRecoverer deadLetterRecoverer, KafkaTemplate<byte[], byte[]> template) {
        DefaultAfterRollbackProcessor<Object, Object> processor = new DefaultAfterRollbackProcessor<>(
                deadLetterRecoverer, retryBackOff(), template, true);
        processor.addNotRetryableExceptions(MalformedDataException.class);
        return processor;
    }

    private static BackOff retryBackOff() {
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(6);
        backOff.setInitialInterval(200);
        backOff.setMultiplier(2);
        backOff.setMaxInterval(5_000);
        return backOff;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
