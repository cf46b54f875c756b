package dev.batchmesh.bench.loadgen.schedule;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The latencies of one phase, measured from each request's intended send time, and how late the
 * requests actually left (a growing send delay means the generator or its connections, not only the
 * server, could not keep the rate). Safe to record from many threads.
 */
public final class LatencyRecorder {

    private final Recorder latency = new Recorder(3);
    private final Recorder sendDelay = new Recorder(3);

    public void sent(long intendedNanos, long sentNanos) {
        sendDelay.recordValue(Math.max(0, sentNanos - intendedNanos));
    }

    /** A response arrived at {@code completedNanos} for the request due at {@code intendedNanos}. */
    public void completed(long intendedNanos, long completedNanos) {
        latency.recordValue(Math.max(0, completedNanos - intendedNanos));
    }

    /** Everything recorded since the previous call. */
    public Histogram latencies() {
        return latency.getIntervalHistogram();
    }

    public Histogram sendDelays() {
        return sendDelay.getIntervalHistogram();
    }
}
