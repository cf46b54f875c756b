package dev.batchmesh.bench.loadgen.result;

import java.nio.ByteBuffer;
import java.util.Base64;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram in milliseconds, and the histogram itself (HdrHistogram's
 * compressed encoding, base64, values in ns) so runs can be merged or re-read later.
 */
public record LatencySummary(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double p999Ms,
                             double maxMs, String histogram) {

    public static LatencySummary of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, encode(h));
        }
        return new LatencySummary(h.getTotalCount(), ms(h.getMean()), ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()), encode(h));
    }

    private static double ms(double nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    private static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
