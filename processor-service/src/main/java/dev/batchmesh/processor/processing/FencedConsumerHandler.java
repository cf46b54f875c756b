package dev.batchmesh.processor.processing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * A consumer stopped because its transactional producer was fenced: another process now owns its
 * transactions, and this one cannot process again without a fresh start. Report the process as
 * broken so the liveness probe has Kubernetes replace it, and stop the parent container so a later
 * graceful shutdown does not wait for a consumer that is already gone.
 */
class FencedConsumerHandler {

    private static final Logger log = LoggerFactory.getLogger(FencedConsumerHandler.class);

    private final KafkaListenerEndpointRegistry registry;
    private final ApplicationEventPublisher events;

    FencedConsumerHandler(KafkaListenerEndpointRegistry registry, ApplicationEventPublisher events) {
        this.registry = registry;
        this.events = events;
    }

    @EventListener
    void onConsumerStopped(ConsumerStoppedEvent event) {
        if (event.getReason() != ConsumerStoppedEvent.Reason.FENCED) {
            return;
        }
        log.error("The micro-batch consumer stopped because its producer was fenced; marking the process broken");
        AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
        MessageListenerContainer container = registry.getListenerContainer(MicroBatchListener.CONTAINER_ID);
        if (container != null) {
            // the callback variant returns at once: this runs on the stopping consumer's own thread
            container.stop(() -> { });
        }
    }
}
