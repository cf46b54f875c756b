package dev.batchmesh.bench.loadgen.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * A simulated server on one connection, in virtual time: each request takes 1 ms, except one that
 * stalls for 1 s. At 100 requests/s for 10 s, the requests due during the stall wait for it.
 */
class OpenLoopSchedulerTest {

    private static final long MS = 1_000_000;
    private static final double RATE = 100;
    private static final Duration RUN = Duration.ofSeconds(10);
    private static final long STALLED_REQUEST = 300;
    private static final long STALL = 1_000 * MS;
    private static final long SERVICE = MS;

    /** One connection: a request starts when the previous response is in, as a blocked dispatcher would. */
    private static final class SingleConnectionServer implements OpenLoopScheduler.Dispatcher {
        final VirtualClock clock;
        final LatencyRecorder recorder;
        final Histogram fromActualSend = new Histogram(3);
        final List<Long> intended = new ArrayList<>();
        long free;

        SingleConnectionServer(VirtualClock clock, LatencyRecorder recorder) {
            this.clock = clock;
            this.recorder = recorder;
        }

        @Override
        public void dispatch(long sequence, long intendedNanos) {
            intended.add(intendedNanos);
            clock.advanceTo(free);
            long sent = clock.nanoTime();
            recorder.sent(intendedNanos, sent);
            long done = sent + (sequence == STALLED_REQUEST ? STALL : SERVICE);
            free = done;
            recorder.completed(intendedNanos, done);
            fromActualSend.recordValue(done - sent);
        }
    }

    @Test
    void shouldTimeEveryRequestFromItsIntendedSendTimeSoAStallShowsInTheRequestsThatWaitedForIt() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        LatencyRecorder recorder = new LatencyRecorder();
        SingleConnectionServer server = new SingleConnectionServer(clock, recorder);

        long sent = new OpenLoopScheduler(RATE, clock).run(0, RUN, server);

        Histogram latencies = recorder.latencies();
        assertThat(sent).isEqualTo(1000);
        assertThat(latencies.getTotalCount()).isEqualTo(1000);
        // request 300+j (due at 3000 + 10j ms) leaves when the stall and j - 1 queued requests are done,
        // at 4000 + (j - 1) ms, and takes 1000 - 9j ms: over 500 ms for j = 0..55
        assertThat(countAbove(latencies, 500 * MS)).isEqualTo(56);
        assertThat(latencies.getValueAtPercentile(99)).isGreaterThan(800 * MS);
        assertThat(latencies.getValueAtPercentile(50)).isLessThan(2 * MS);
        // timed from the actual send, the same run shows a single slow request: the omission corrected above
        assertThat(countAbove(server.fromActualSend, 500 * MS)).isEqualTo(1);
        assertThat(server.fromActualSend.getValueAtPercentile(99)).isLessThan(2 * MS);
    }

    @Test
    void shouldKeepTheScheduleAfterAStallAndSendTheOverdueRequestsAtOnce() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        LatencyRecorder recorder = new LatencyRecorder();
        SingleConnectionServer server = new SingleConnectionServer(clock, recorder);

        new OpenLoopScheduler(RATE, clock).run(5 * MS, RUN, server);

        // intended times stay on the 10 ms grid from the start; a late dispatch does not shift later ones
        for (int i = 0; i < server.intended.size(); i++) {
            assertThat(server.intended.get(i)).isEqualTo(5 * MS + i * 10 * MS);
        }
        Histogram delays = recorder.sendDelays();
        assertThat(delays.getMaxValue()).isGreaterThanOrEqualTo(990 * MS);
        // the queue behind the stall drains once 4000 + j <= 3000 + 10j: 110 requests left late
        assertThat(countAbove(delays, 0)).isEqualTo(110);
    }

    @Test
    void shouldSendRateTimesDurationRequests() {
        OpenLoopScheduler scheduler = new OpenLoopScheduler(2.5, new VirtualClock());

        assertThat(scheduler.requestsIn(Duration.ofSeconds(4))).isEqualTo(10);
        assertThat(scheduler.requestsIn(Duration.ofMillis(4100))).isEqualTo(11);
        assertThat(scheduler.intendedNanos(0, 10)).isEqualTo(4_000 * MS);
    }

    private static long countAbove(Histogram histogram, long nanos) {
        long count = 0;
        for (var value : histogram.recordedValues()) {
            if (value.getValueIteratedTo() > nanos) {
                count += value.getCountAtValueIteratedTo();
            }
        }
        return count;
    }
}
