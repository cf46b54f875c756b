package dev.batchmesh.bench.peer;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The value of one input message: the record's value as an 8-byte IEEE 754 double, then padding of
 * random capital letters up to the configured size, so a message is as large as the ones
 * ProducerPerformance sends (its payload is random capital letters too) and compresses alike. The
 * record's timestamp travels as the message timestamp.
 */
final class PointValues {

    static final int VALUE_BYTES = Double.BYTES;

    private PointValues() {
    }

    static byte[] encode(double value, int size, SplittableRandom random) {
        byte[] out = new byte[Math.max(size, VALUE_BYTES)];
        ByteBuffer.wrap(out).putDouble(value);
        int i = VALUE_BYTES;
        while (i < out.length) {
            long bits = random.nextLong();
            for (int b = 0; b < 8 && i < out.length; b++, i++) {
                out[i] = (byte) ('A' + Math.floorMod(bits >>> (8 * b), 26));
            }
        }
        return out;
    }

    /** Writes values without padding, reads them with or without. */
    static Serde<Double> serde() {
        return Serdes.serdeFrom(new DoubleSerializer(), new Reader());
    }

    /** Reads the double and ignores the padding. */
    static final class Reader implements Deserializer<Double> {

        @Override
        public Double deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            if (data.length < VALUE_BYTES) {
                throw new SerializationException("a point value holds at least 8 bytes, got " + data.length);
            }
            return ByteBuffer.wrap(data).getDouble();
        }
    }
}
