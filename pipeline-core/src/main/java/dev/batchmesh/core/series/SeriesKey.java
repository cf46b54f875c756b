package dev.batchmesh.core.series;

import dev.batchmesh.core.codec.MalformedDataException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Utils;

/**
 * One time series: a key within a tenant's stream. Its byte form is the Kafka message key of
 * partials and the state-store key of the aggregator:
 * {@code [tenant length u8][tenant][stream length u8][stream][key]}. The key comes last and
 * unprefixed, so all series of one (tenant, stream) share a byte prefix and sort together,
 * and UTF-8 never produces 0xFF, which bounds a prefix range scan.
 */
public record SeriesKey(String tenant, String stream, String key) {

    public SeriesKey {
        RecordRules.requireValidTenant(tenant);
        RecordRules.requireValidStream(stream);
        RecordRules.requireValidKey(key);
    }

    public byte[] toBytes() {
        byte[] prefix = streamPrefix(tenant, stream);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(prefix, prefix.length + k.length);
        System.arraycopy(k, 0, out, prefix.length, k.length);
        return out;
    }

    public static SeriesKey fromBytes(byte[] bytes) {
        try {
            int tl = bytes[0] & 0xFF;
            String tenant = new String(bytes, 1, tl, StandardCharsets.UTF_8);
            int sl = bytes[1 + tl] & 0xFF;
            String stream = new String(bytes, 2 + tl, sl, StandardCharsets.UTF_8);
            int keyOffset = 2 + tl + sl;
            String key = new String(bytes, keyOffset, bytes.length - keyOffset, StandardCharsets.UTF_8);
            return new SeriesKey(tenant, stream, key);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new MalformedDataException("not a series key: " + e.getMessage(), e);
        }
    }

    /** The byte prefix shared by every series of one tenant's stream. */
    public static byte[] streamPrefix(String tenant, String stream) {
        byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
        byte[] s = stream.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[2 + t.length + s.length];
        out[0] = (byte) t.length;
        System.arraycopy(t, 0, out, 1, t.length);
        out[1 + t.length] = (byte) s.length;
        System.arraycopy(s, 0, out, 2 + t.length, s.length);
        return out;
    }

    /**
     * The partition of a series on a topic with {@code partitions} partitions: Kafka's default
     * partitioner applied to {@link #toBytes()}, so producers that set the partition explicitly and
     * producers that key by series bytes agree.
     */
    public int partition(int partitions) {
        return partitionOf(toBytes(), partitions);
    }

    public static int partitionOf(byte[] seriesBytes, int partitions) {
        return Utils.toPositive(Utils.murmur2(seriesBytes)) % partitions;
    }
}
