package dev.batchmesh.bench.peer;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The per-window aggregate a hand-written per-record Kafka Streams application keeps: count, sum,
 * min, max, and Welford's running mean and M2 for the variance, updated one record at a time.
 */
public record WindowStats(long count, double sum, double min, double max, double mean, double m2) {

    static final int BYTES = Long.BYTES + 5 * Double.BYTES;

    public static WindowStats empty() {
        return new WindowStats(0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0);
    }

    public WindowStats add(double value) {
        long n = count + 1;
        double delta = value - mean;
        double newMean = mean + delta / n;
        return new WindowStats(n, sum + value, Math.min(min, value), Math.max(max, value), newMean,
                m2 + delta * (value - newMean));
    }

    /** Sample variance (n - 1), NaN below two values. */
    public double sampleVariance() {
        return count < 2 ? Double.NaN : m2 / (count - 1);
    }

    static Serde<WindowStats> serde() {
        Serializer<WindowStats> serializer = (topic, s) -> s == null ? null : ByteBuffer.allocate(BYTES)
                .putLong(s.count).putDouble(s.sum).putDouble(s.min).putDouble(s.max).putDouble(s.mean).putDouble(s.m2)
                .array();
        Deserializer<WindowStats> deserializer = (topic, data) -> {
            if (data == null) {
                return null;
            }
            if (data.length != BYTES) {
                throw new SerializationException("window stats are " + BYTES + " bytes, got " + data.length);
            }
            ByteBuffer in = ByteBuffer.wrap(data);
            return new WindowStats(in.getLong(), in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble(),
                    in.getDouble());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
