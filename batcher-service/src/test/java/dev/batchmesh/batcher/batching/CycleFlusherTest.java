package dev.batchmesh.batcher.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CycleFlusherTest {

    private final List<FlushCycle> published = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failure;
    private final CyclePublisher publisher = new CyclePublisher() {
        @Override
        public int partitionCount() {
            return 6;
        }

        @Override
        public void publish(FlushCycle cycle) {
            if (failure != null) {
                throw failure;
            }
            published.add(cycle);
        }
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CycleAccumulator accumulator = new CycleAccumulator(5000, 1 << 20, TimeUnit.MILLISECONDS.toNanos(10), 1 << 30, System::nanoTime);
    private final CycleFlusher flusher = new CycleFlusher(accumulator, publisher, new BatchingMetrics(registry, accumulator), Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        flusher.stop();
    }

    @Test
    void shouldAcknowledgeRequestsOnlyAfterTheirCycleWasPublished() {
        flusher.start();
        IngestBatch request = Requests.of(10, 6, Requests.keys(7));

        accumulator.append(request);
        request.acknowledged().join();

        assertThat(published).singleElement().satisfies(cycle -> assertThat(cycle.requests()).containsExactly(request));
        assertThat(registry.get("batcher.publish.latency").timer().count()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> accumulator.bufferedBytes() == 0);
    }

    @Test
    void shouldWaitAtStartUntilKafkaTakesTransactions() {
        AtomicInteger attempts = new AtomicInteger();
        CycleFlusher patient = new CycleFlusher(accumulator, startingPublisher(attempts, 3), new BatchingMetrics(registry, accumulator),
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(10));
        try {
            patient.start();

            assertThat(attempts).hasValue(3);
            assertThat(accumulator.partitions()).isEqualTo(6);
        } finally {
            patient.stop();
        }
    }

    @Test
    void shouldGiveUpStartingOnceTheStartupTimeoutPassed() {
        AtomicInteger attempts = new AtomicInteger();
        CycleFlusher impatient = new CycleFlusher(accumulator, startingPublisher(attempts, Integer.MAX_VALUE),
                new BatchingMetrics(registry, accumulator), Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(10));

        assertThatThrownBy(impatient::start).hasMessageContaining("InitProducerId");
        assertThat(attempts.get()).isGreaterThan(1);
        assertThat(impatient.isRunning()).isFalse();
        assertThat(accumulator.partitions()).isZero();
    }

    /** A publisher whose transactions time out until its {@code readyAt}-th attempt. */
    private CyclePublisher startingPublisher(AtomicInteger attempts, int readyAt) {
        return new CyclePublisher() {
            @Override
            public int partitionCount() {
                if (attempts.incrementAndGet() < readyAt) {
                    throw new IllegalStateException("Timeout expired after 5000ms while awaiting InitProducerId");
                }
                return 6;
            }

            @Override
            public void publish(FlushCycle cycle) {
                publisher.publish(cycle);
            }
        };
    }

    @Test
    void shouldFailEveryRequestOfACycleThatCouldNotBePublished() {
        failure = new IllegalStateException("broker down");
        flusher.start();
        IngestBatch first = Requests.of(3, 6);
        IngestBatch second = Requests.of(4, 6);

        accumulator.append(first);
        accumulator.append(second);

        for (IngestBatch request : List.of(first, second)) {
            assertThat(request.acknowledged()).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                    .havingCause().isInstanceOf(PublishFailedException.class);
        }
        assertThat(accumulator.bufferedBytes()).isZero();
    }

    @Test
    void shouldFlushTheOpenCycleBeforeStopping() {
        CycleAccumulator slow = new CycleAccumulator(5000, 1 << 20, TimeUnit.HOURS.toNanos(1), 1 << 30, System::nanoTime);
        CycleFlusher stoppable = new CycleFlusher(slow, publisher, new BatchingMetrics(new SimpleMeterRegistry(), slow), Duration.ofSeconds(5));
        stoppable.start();
        IngestBatch request = Requests.of(5, 6);
        slow.append(request);

        stoppable.stop();

        assertThat(request.acknowledged()).isCompleted();
        assertThat(published).hasSize(1);
        assertThat(stoppable.isRunning()).isFalse();
    }

    @Test
    void shouldAnswerACycleThatWaitedLongerThanThePublishTimeoutWithoutPublishingIt() {
        CycleAccumulator accumulatorWithPast = new CycleAccumulator(5000, 1 << 20, 0, 1 << 30, () -> System.nanoTime() - TimeUnit.SECONDS.toNanos(6));
        accumulatorWithPast.open(6);
        CycleFlusher expiring = new CycleFlusher(accumulatorWithPast, publisher, new BatchingMetrics(new SimpleMeterRegistry(), accumulatorWithPast),
                Duration.ofSeconds(5));
        IngestBatch request = Requests.of(2, 6);
        accumulatorWithPast.append(request);

        expiring.flush(accumulatorWithPast.pollReady());

        assertThat(request.acknowledged()).isCompletedExceptionally();
        assertThat(published).isEmpty();
        assertThat(accumulatorWithPast.bufferedBytes()).isZero();
    }
}
