package dev.batchmesh.bench.loadgen.lag;

import java.util.List;

/**
 * Decides whether a consumer keeps up: its lag grows when the least-squares slope of the lag is
 * more than {@code maxSlopeShare} of the topic's produce rate and the backlog at the end is more than
 * {@code maxBacklogSeconds} of production. A consumer that keeps up has a lag that moves up and down
 * with its poll and commit cycle but stays within a second or so of production; the second
 * condition keeps that sawtooth from reading as growth.
 */
public record LagTrend(double maxSlopeShare, double maxBacklogSeconds) {

    public static final LagTrend DEFAULT = new LagTrend(0.05, 2.0);
    static final int MIN_SAMPLES = 3;

    public boolean growing(List<LagSample> samples) {
        if (samples.size() < MIN_SAMPLES) {
            return false;
        }
        LagSample first = samples.getFirst();
        LagSample last = samples.getLast();
        double span = (last.epochMillis() - first.epochMillis()) / 1000.0;
        if (span <= 0) {
            return false;
        }
        double produceRate = Math.max(0, last.endOffsets() - first.endOffsets()) / span;
        double slope = slope(samples);
        return slope > maxSlopeShare * produceRate && last.lag() > maxBacklogSeconds * produceRate && slope > 0;
    }

    /** Lag change per second, least squares over every sample. */
    public static double slope(List<LagSample> samples) {
        int n = samples.size();
        if (n < 2) {
            return 0;
        }
        long t0 = samples.getFirst().epochMillis();
        double meanT = 0;
        double meanLag = 0;
        for (LagSample s : samples) {
            meanT += (s.epochMillis() - t0) / 1000.0;
            meanLag += s.lag();
        }
        meanT /= n;
        meanLag /= n;
        double covariance = 0;
        double variance = 0;
        for (LagSample s : samples) {
            double dt = (s.epochMillis() - t0) / 1000.0 - meanT;
            covariance += dt * (s.lag() - meanLag);
            variance += dt * dt;
        }
        return variance == 0 ? 0 : covariance / variance;
    }
}
