package dev.batchmesh.batcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.batchmesh.batcher.batching.CyclePublisher;
import dev.batchmesh.batcher.batching.FlushCycle;
import dev.batchmesh.batcher.idempotency.IdempotencyLedger;
import dev.batchmesh.core.contract.PipelineTopics;
import dev.batchmesh.core.contract.TenantHeader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * On shutdown the batcher first reports not ready (Spring Boot publishes REFUSING_TRAFFIC when a
 * web-server context starts closing), then lets in-flight requests finish, flushes and acknowledges
 * the open cycle, and only then closes the producer.
 */
@EmbeddedKafka(partitions = 6, topics = PipelineTopics.MICROBATCHES, brokerProperties = {
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1"})
class GracefulShutdownIntegrationTest {

    @Test
    void shouldReportNotReadyBeforeTheFinalCycleIsFlushedAndStillAcknowledgeIt() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(BatcherServiceApplication.class, GatedPublisher.class).run(
                "--spring.kafka.bootstrap-servers=" + EmbeddedKafkaCondition.getBroker().getBrokersAsString(),
                "--server.port=0", "--management.server.port=0", "--spring.jmx.enabled=false",
                "--batcher.instance-id=shutdown-test");
        GatedPublisher publisher = context.getBean(GatedPublisher.class);
        await().atMost(Duration.ofSeconds(30)).until(context.getBean(IdempotencyLedger.class)::isCaughtUp);
        int port = ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();

        CompletableFuture<Integer> inFlight = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> inFlight.complete(client.post().uri("/v1/streams/shutdown/records").header(TenantHeader.NAME, "acme")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("[{\"key\":\"a\",\"value\":1}]")
                .exchange().returnResult(String.class).getStatus().value()));
        assertThat(publisher.entered.tryAcquire(10, TimeUnit.SECONDS)).as("the cycle reached the publisher").isTrue();

        Thread closing = Thread.ofPlatform().start(context::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.readiness.contains(ReadinessState.REFUSING_TRAFFIC));
        assertThat(publisher.published).as("not ready while the final cycle is still unpublished").isEmpty();
        assertThat(inFlight).isNotDone();

        publisher.gate.countDown();

        assertThat(inFlight.get(10, TimeUnit.SECONDS)).as("the in-flight request is acknowledged").isEqualTo(202);
        closing.join(Duration.ofSeconds(30));
        assertThat(closing.isAlive()).isFalse();
        assertThat(publisher.published).hasSize(1);
        assertThat(publisher.readinessWhenPublished).containsExactly(ReadinessState.REFUSING_TRAFFIC);
    }

    /**
     * Holds the first cycle until the test opens the gate, and records readiness changes. A source of
     * the application, deliberately not annotated: component scanning must not find it for other tests.
     */
    static class GatedPublisher implements CyclePublisher, ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

        final CountDownLatch gate = new CountDownLatch(1);
        final Semaphore entered = new Semaphore(0);
        final List<FlushCycle> published = new CopyOnWriteArrayList<>();
        final List<ReadinessState> readiness = new CopyOnWriteArrayList<>();
        final List<ReadinessState> readinessWhenPublished = new CopyOnWriteArrayList<>();

        @Bean
        @Primary
        CyclePublisher gatedCyclePublisher() {
            return this;
        }

        /** Own event loops, so closing this context leaves other tests' servers and clients alone. */
        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        }

        @Override
        public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
            readiness.add(event.getState());
        }

        @Override
        public int partitionCount() {
            return 6;
        }

        @Override
        public void publish(FlushCycle cycle) {
            PublishGate.pass(entered, gate, Duration.ofSeconds(20));
            readinessWhenPublished.add(readiness.getLast());
            published.add(cycle);
        }
    }
}
