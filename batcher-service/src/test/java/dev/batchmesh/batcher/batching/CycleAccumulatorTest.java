package dev.batchmesh.batcher.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.batchmesh.core.series.SeriesKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CycleAccumulatorTest {

    private static final long LINGER = TimeUnit.MILLISECONDS.toNanos(10);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private CycleAccumulator accumulator(int maxRecords, long maxBytes, long maxBuffer, int partitions) {
        CycleAccumulator accumulator = new CycleAccumulator(maxRecords, maxBytes, LINGER, maxBuffer, now::get);
        accumulator.open(partitions);
        return accumulator;
    }

    @Test
    void shouldSealWhenAPartitionBufferReachesTheRecordLimit() {
        CycleAccumulator accumulator = accumulator(10, 1 << 20, 1 << 30, 1);
        IngestBatch first = Requests.of(6, 1);
        IngestBatch second = Requests.of(4, 1);

        accumulator.append(first);
        assertThat(accumulator.pollReady()).as("6 of 10 records, linger not over").isNull();
        accumulator.append(second);
        FlushCycle cycle = accumulator.pollReady();

        assertThat(cycle).isNotNull();
        assertThat(cycle.records()).isEqualTo(10);
        assertThat(cycle.requests()).containsExactly(first, second);
        assertThat(accumulator.pollReady()).isNull();
    }

    @Test
    void shouldSealWhenAPartitionBufferReachesTheByteLimit() {
        long maxBytes = 500;
        CycleAccumulator accumulator = accumulator(1_000_000, maxBytes, 1 << 30, 1);

        accumulator.append(Requests.of(20, 1));
        assertThat(accumulator.pollReady()).as("about 300 estimated bytes").isNull();
        accumulator.append(Requests.of(20, 1));
        FlushCycle cycle = accumulator.pollReady();

        assertThat(cycle).isNotNull();
        assertThat(cycle.partitionBuffers()).singleElement().satisfies(buffer -> assertThat(buffer.estimatedBytes()).isGreaterThanOrEqualTo(maxBytes));
    }

    @Test
    void shouldSealOnlyWhenOnePartitionIsFullNotTheSumOfAll() {
        CycleAccumulator accumulator = accumulator(10, 1 << 20, 1 << 30, 6);
        String a = "key-0";
        String b = IntStream.range(1, 100).mapToObj(i -> "key-" + i)
                .filter(k -> new SeriesKey("tenant", "stream", k).partition(6) != new SeriesKey("tenant", "stream", a).partition(6))
                .findFirst().orElseThrow();

        accumulator.append(Requests.of(9, 6, a));
        accumulator.append(Requests.of(9, 6, b));
        assertThat(accumulator.pollReady()).as("18 records, but 9 per partition").isNull();
        accumulator.append(Requests.of(1, 6, a));

        assertThat(accumulator.pollReady().records()).isEqualTo(19);
    }

    @Test
    void shouldSealTheLingerTimeAfterTheFirstRecord() {
        CycleAccumulator accumulator = accumulator(5000, 1 << 20, 1 << 30, 1);
        accumulator.append(Requests.of(1, 1));

        now.addAndGet(LINGER - 1);
        accumulator.append(Requests.of(1, 1));
        assertThat(accumulator.pollReady()).isNull();
        now.addAndGet(1);
        FlushCycle cycle = accumulator.pollReady();

        assertThat(cycle).isNotNull();
        assertThat(cycle.records()).isEqualTo(2);
    }

    @Test
    void shouldWakeAWaitingPublisherWhenTheLingerEnds() throws InterruptedException {
        CycleAccumulator accumulator = new CycleAccumulator(5000, 1 << 20, LINGER, 1 << 30, System::nanoTime);
        accumulator.open(1);
        accumulator.append(Requests.of(3, 1));
        long started = System.nanoTime();

        FlushCycle cycle = accumulator.awaitReady(TimeUnit.SECONDS.toNanos(5));

        assertThat(cycle).isNotNull();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void shouldKeepARequestWholeWhenItCrossesTheLimit() {
        CycleAccumulator accumulator = accumulator(10, 1 << 20, 1 << 30, 1);
        IngestBatch first = Requests.of(7, 1);
        IngestBatch crossing = Requests.of(7, 1);
        IngestBatch next = Requests.of(2, 1);

        accumulator.append(first);
        accumulator.append(crossing);
        accumulator.append(next);
        FlushCycle sealed = accumulator.pollReady();

        assertThat(sealed.records()).as("the crossing request went in whole").isEqualTo(14);
        assertThat(sealed.requests()).containsExactly(first, crossing);
        now.addAndGet(LINGER);
        assertThat(accumulator.pollReady().requests()).containsExactly(next);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 20261122})
    void shouldPutEveryRecordOfARequestIntoExactlyOneCycle(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        CycleAccumulator accumulator = accumulator(50, 2_000, 1L << 40, 6);
        List<IngestBatch> requests = new ArrayList<>();
        List<FlushCycle> cycles = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            IngestBatch request = Requests.of(1 + random.nextInt(80), 6, Requests.keys(1 + random.nextInt(20)));
            requests.add(request);
            accumulator.append(request);
            if (random.nextInt(10) == 0) {
                now.addAndGet(LINGER);
            }
            FlushCycle cycle;
            while ((cycle = accumulator.pollReady()) != null) {
                cycles.add(cycle);
            }
        }
        accumulator.close();
        FlushCycle last;
        while ((last = accumulator.pollReady()) != null) {
            cycles.add(last);
        }

        Map<IngestBatch, Integer> seen = new IdentityHashMap<>();
        for (FlushCycle cycle : cycles) {
            int buffered = cycle.partitionBuffers().stream().mapToInt(PartitionBuffer::records).sum();
            assertThat(buffered).as("seed %d: buffers hold exactly the cycle's requests", seed)
                    .isEqualTo(cycle.requests().stream().mapToInt(IngestBatch::records).sum())
                    .isEqualTo(cycle.records());
            cycle.requests().forEach(r -> seen.merge(r, 1, Integer::sum));
        }
        assertThat(seen).as("seed %d", seed).hasSize(requests.size());
        assertThat(seen.values()).as("seed %d: no request in two cycles", seed).containsOnly(1);
    }

    @Test
    void shouldRefuseARequestThatDoesNotFitTheBufferAtOnceAndTakeItAfterARelease() {
        IngestBatch first = Requests.of(100, 1);
        CycleAccumulator accumulator = accumulator(5000, 1 << 20, first.estimatedBytes() + 10, 1);
        accumulator.append(first);
        now.addAndGet(LINGER);
        FlushCycle inFlight = accumulator.pollReady();
        IngestBatch refused = Requests.of(100, 1);

        long started = System.nanoTime();
        assertThatThrownBy(() -> accumulator.append(refused)).isInstanceOf(BufferFullException.class);
        assertThat(System.nanoTime() - started).isLessThan(Duration.ofMillis(200).toNanos());
        assertThat(accumulator.pollReady()).as("nothing of the refused request was buffered").isNull();
        assertThat(accumulator.bufferedBytes()).isEqualTo(first.estimatedBytes());

        accumulator.release(inFlight);
        accumulator.append(refused);
        assertThat(accumulator.bufferedBytes()).isEqualTo(refused.estimatedBytes());
    }

    @Test
    void shouldQueueARequestThatDoesNotFitAndAdmitItInOrderWhenACycleIsReleased() {
        IngestBatch first = Requests.of(100, 1);
        CycleAccumulator accumulator = accumulator(5000, 1 << 20, first.estimatedBytes() + 10, 1);
        assertThat(accumulator.admit(first)).isCompleted();
        now.addAndGet(LINGER);
        FlushCycle inFlight = accumulator.pollReady();
        IngestBatch second = Requests.of(100, 1);
        IngestBatch tiny = Requests.of(1, 1);

        CompletableFuture<Void> secondAdmitted = accumulator.admit(second);
        CompletableFuture<Void> tinyAdmitted = accumulator.admit(tiny);
        assertThat(secondAdmitted).isNotDone();
        assertThat(tinyAdmitted).as("fits, but queues behind the earlier waiter").isNotDone();
        assertThat(accumulator.waitingRequests()).isEqualTo(2);
        assertThat(accumulator.bufferedBytes()).as("waiters hold no buffer bytes").isEqualTo(first.estimatedBytes());

        accumulator.release(inFlight);
        assertThat(secondAdmitted).isCompleted();
        assertThat(tinyAdmitted).as("no room left for it yet").isNotDone();
        assertThat(accumulator.withdraw(second)).as("already admitted").isFalse();
        assertThat(accumulator.withdraw(tiny)).isTrue();
        assertThat(accumulator.waitingRequests()).isZero();
        now.addAndGet(LINGER);
        assertThat(accumulator.pollReady().requests()).containsExactly(second);
    }

    @Test
    void shouldRefuseARequestLargerThanTheWholeBufferAndFailWaitersOnClose() {
        IngestBatch first = Requests.of(100, 1);
        CycleAccumulator accumulator = accumulator(5000, 1 << 20, first.estimatedBytes() + 10, 1);
        assertThatThrownBy(() -> accumulator.admit(Requests.of(200, 1))).isInstanceOf(BufferFullException.class);
        accumulator.admit(first);
        CompletableFuture<Void> waiting = accumulator.admit(Requests.of(100, 1));

        accumulator.close();

        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::join).hasCauseInstanceOf(NotAcceptingException.class);
    }

    @Test
    void shouldRefuseRequestsBeforeOpenAndAfterClose() {
        CycleAccumulator unopened = new CycleAccumulator(10, 1000, LINGER, 1 << 20, now::get);
        assertThatThrownBy(() -> unopened.append(Requests.of(1, 1))).isInstanceOf(NotAcceptingException.class);
        assertThat(unopened.partitions()).isZero();

        CycleAccumulator accumulator = accumulator(10, 1000, 1 << 20, 1);
        accumulator.close();
        assertThatThrownBy(() -> accumulator.append(Requests.of(1, 1))).isInstanceOf(NotAcceptingException.class);
        assertThat(accumulator.partitions()).isZero();
    }

    @Test
    void shouldHandOverTheOpenCycleAtOnceWhenClosed() {
        CycleAccumulator accumulator = accumulator(5000, 1 << 20, 1 << 30, 1);
        accumulator.append(Requests.of(3, 1));
        assertThat(accumulator.pollReady()).isNull();

        accumulator.close();

        assertThat(accumulator.isDrained()).isFalse();
        assertThat(accumulator.pollReady().records()).isEqualTo(3);
        assertThat(accumulator.isDrained()).isTrue();
    }

    @Test
    void shouldRefuseARequestGroupedForAnotherPartitionCount() {
        CycleAccumulator accumulator = accumulator(5000, 1 << 20, 1 << 30, 6);

        assertThatThrownBy(() -> accumulator.append(Requests.of(3, 3))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGroupARequestBySeriesInRequestOrder() {
        IngestBatch batch = IngestBatch.group("t", "s", 5, new String[] {"a", "b", "a", "c", "a"}, new long[] {1, 2, 3, 4, 5},
                new double[] {10, 20, 30, 40, 50}, Requests.ARRIVAL, 6);

        Set<String> keys = new HashSet<>();
        for (SeriesRun run : batch.runs()) {
            keys.add(run.key());
            assertThat(run.partition()).isEqualTo(new SeriesKey("t", "s", run.key()).partition(6));
            if (run.key().equals("a")) {
                assertThat(run.timestamps()).containsExactly(1, 3, 5);
                assertThat(run.values()).containsExactly(10, 30, 50);
            }
        }
        assertThat(keys).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(batch.records()).isEqualTo(5);
    }

    @Test
    void shouldKeepTheSeriesOfInterleavedStreamsApartInOnePartition() {
        CycleAccumulator accumulator = accumulator(1_000, 1 << 20, 1 << 24, 1);
        List<IngestBatch> requests = List.of(
                IngestBatch.group("t", "s1", 2, new String[] {"k", "k"}, new long[] {1, 2}, new double[] {1, 2}, Requests.ARRIVAL, 1),
                IngestBatch.group("t", "s2", 1, new String[] {"k"}, new long[] {3}, new double[] {30}, Requests.ARRIVAL, 1),
                // an equal stream of another request: the same group, though not the same instance
                IngestBatch.group("t", "s1", 1, new String[] {"k"}, new long[] {4}, new double[] {4}, Requests.ARRIVAL, 1),
                IngestBatch.group("u", "s1", 1, new String[] {"k"}, new long[] {5}, new double[] {500}, Requests.ARRIVAL, 1));
        requests.forEach(accumulator::append);

        now.addAndGet(LINGER);
        PartitionBuffer buffer = accumulator.pollReady().partitionBuffers().getFirst();
        Map<StreamRef, StreamSeries> groups = buffer.groups();
        assertThat(groups.keySet()).containsExactly(new StreamRef("t", "s1"), new StreamRef("t", "s2"), new StreamRef("u", "s1"));
        assertThat(groups.get(new StreamRef("t", "s1")).get("k").size()).isEqualTo(3);
        assertThat(groups.get(new StreamRef("t", "s2")).get("k").size()).isEqualTo(1);
        assertThat(groups.get(new StreamRef("u", "s1")).get("k").size()).isEqualTo(1);
        assertThat(buffer.records()).isEqualTo(5);
    }
}
