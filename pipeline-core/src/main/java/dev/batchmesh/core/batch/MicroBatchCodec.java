package dev.batchmesh.core.batch;

import dev.batchmesh.core.codec.ByteSink;
import dev.batchmesh.core.codec.ByteSource;
import dev.batchmesh.core.codec.MalformedDataException;
import dev.batchmesh.core.codec.UnsupportedFormatVersionException;
import dev.batchmesh.core.series.SeriesKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The binary micro-batch format, version 1 (documented in docs/architecture.md):
 *
 * <pre>
 * magic 0x4D, version 0x01, batch id (16 bytes), createdAt (varlong), record count (varint),
 * group count (varint), then per (tenant, stream) group:
 *   tenant (string), stream (string), series count (varint), then per series:
 *     key (string), n (varint), first timestamp (zigzag varlong),
 *     n-1 timestamp deltas (zigzag varlong), n values (IEEE 754 big-endian)
 * </pre>
 *
 * Strings are a varint length and UTF-8. Tenant and stream appear once per group and each key once
 * per batch, timestamps as deltas, so a record costs about 10 bytes plus its share of the key.
 * The version byte lets two processor versions run side by side during a canary: each rejects,
 * rather than misreads, a version it does not know.
 */
public final class MicroBatchCodec {

    public static final int MAGIC = 0x4D;
    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    private MicroBatchCodec() {
    }

    public static byte[] encode(MicroBatch batch) {
        Map<String, Map<String, List<SeriesPoints>>> groups = new LinkedHashMap<>();
        int estimate = 40;
        for (SeriesPoints s : batch.series()) {
            groups.computeIfAbsent(s.series().tenant(), t -> new LinkedHashMap<>())
                    .computeIfAbsent(s.series().stream(), st -> new ArrayList<>())
                    .add(s);
            estimate += s.series().key().length() + 4 + s.size() * 11;
        }
        ByteSink out = new ByteSink(estimate);
        out.writeByte(MAGIC).writeByte(VERSION_1);
        out.writeLong(batch.id().getMostSignificantBits()).writeLong(batch.id().getLeastSignificantBits());
        out.writeVarLong(batch.createdAt());
        out.writeVarInt(batch.recordCount());
        int groupCount = 0;
        for (Map<String, List<SeriesPoints>> byStream : groups.values()) {
            groupCount += byStream.size();
        }
        out.writeVarInt(groupCount);
        for (var tenantEntry : groups.entrySet()) {
            for (var streamEntry : tenantEntry.getValue().entrySet()) {
                out.writeString(tenantEntry.getKey()).writeString(streamEntry.getKey());
                out.writeVarInt(streamEntry.getValue().size());
                for (SeriesPoints s : streamEntry.getValue()) {
                    writeSeries(out, s);
                }
            }
        }
        return out.toByteArray();
    }

    private static void writeSeries(ByteSink out, SeriesPoints s) {
        out.writeString(s.series().key());
        long[] ts = s.timestamps();
        out.writeVarInt(ts.length);
        long previous = 0;
        for (long t : ts) {
            out.writeSignedVarLong(t - previous);
            previous = t;
        }
        for (double v : s.values()) {
            out.writeDouble(v);
        }
    }

    /** The format version of an encoded batch, read without decoding the rest. */
    public static int versionOf(byte[] bytes) {
        if (bytes == null || bytes.length < 2 || (bytes[0] & 0xFF) != MAGIC) {
            throw new MalformedDataException("not a micro-batch: bad magic byte");
        }
        return bytes[1] & 0xFF;
    }

    public static MicroBatch decode(byte[] bytes) {
        int version = versionOf(bytes);
        if (version != VERSION_1) {
            throw new UnsupportedFormatVersionException("micro-batch", version);
        }
        ByteSource in = new ByteSource(bytes, 2, bytes.length - 2);
        UUID id = new UUID(in.readLong(), in.readLong());
        long createdAt = in.readVarLong();
        int declared = in.readLength(9);
        int groups = in.readLength(3);
        List<SeriesPoints> series = new ArrayList<>();
        int total = 0;
        try {
            for (int g = 0; g < groups; g++) {
                String tenant = in.readString();
                String stream = in.readString();
                int count = in.readLength(3);
                for (int i = 0; i < count; i++) {
                    SeriesPoints s = readSeries(in, tenant, stream);
                    total += s.size();
                    series.add(s);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("micro-batch holds an invalid series: " + e.getMessage(), e);
        }
        if (total != declared || in.hasRemaining()) {
            throw new MalformedDataException("micro-batch declares " + declared + " records but holds " + total
                    + (in.hasRemaining() ? " and " + in.remaining() + " trailing bytes" : ""));
        }
        return new MicroBatch(id, createdAt, series);
    }

    private static SeriesPoints readSeries(ByteSource in, String tenant, String stream) {
        String key = in.readString();
        int n = in.readLength(9);
        long[] ts = new long[n];
        long previous = 0;
        for (int i = 0; i < n; i++) {
            previous += in.readSignedVarLong();
            ts[i] = previous;
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readDouble();
        }
        return new SeriesPoints(new SeriesKey(tenant, stream, key), ts, values);
    }
}
