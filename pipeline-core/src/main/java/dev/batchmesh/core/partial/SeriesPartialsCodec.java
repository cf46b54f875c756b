package dev.batchmesh.core.partial;

import dev.batchmesh.core.aggregate.PartialAggregate;
import dev.batchmesh.core.aggregate.PartialAggregateCodec;
import dev.batchmesh.core.codec.ByteSink;
import dev.batchmesh.core.codec.ByteSource;
import dev.batchmesh.core.codec.MalformedDataException;
import dev.batchmesh.core.codec.UnsupportedFormatVersionException;
import dev.batchmesh.core.series.SeriesKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Value formats of a {@code partials} message. Version 2 is what processors write; the aggregator
 * reads both, so it must be upgraded before the processors.
 *
 * <p>Version 1, one series; the series is the message key ({@link SeriesKey#toBytes()}):
 * <pre>
 * version 0x01, window size ms (varlong), batch createdAt (varlong), window count (varint),
 * then per window: start (zigzag varlong), partial aggregate ({@link PartialAggregateCodec})
 * </pre>
 *
 * <p>Version 2, several series that share a partition of {@code partials}; no key, the producer
 * sets the partition to the one Kafka's key partitioner picks for every series in it
 * ({@link SeriesKey#partitionOf}), so each series still reaches the aggregator task that owns it:
 * <pre>
 * version 0x02, window size ms (varlong), batch createdAt (varlong, the earliest of its series),
 * series count (varint), then per series: series bytes (length-prefixed), window count (varint),
 * then per window: start (zigzag varlong), partial aggregate
 * </pre>
 * One message for many series because the aggregator (a Kafka Streams task) and the producer pay
 * for every message whatever it holds: polling, metrics, headers, tracing, the send itself.
 *
 * <p>The window size travels with every message so an aggregator configured for another base window
 * refuses the message instead of merging it into the wrong windows.
 */
public final class SeriesPartialsCodec {

    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;

    private SeriesPartialsCodec() {
    }

    /**
     * Version-2 messages of {@code series}, in order; a message is cut before a series that would
     * take it past {@code maxBytes}, and a series larger than that alone gets a message of its own.
     */
    public record Bundle(byte[] value, int from, int to) {
    }

    /** The version-1 value of one series; its key is the series bytes. */
    public static byte[] encodeValue(SeriesPartials partials) {
        ByteSink out = new ByteSink(24 + partials.windows().size() * 24);
        out.writeByte(VERSION_1);
        out.writeVarLong(partials.windowSizeMillis());
        out.writeVarLong(partials.batchCreatedAt());
        writeWindows(out, partials.windows());
        return out.toByteArray();
    }

    /** Version-2 values holding every series of {@code series}, which must share one window size. */
    public static List<Bundle> encodeBundles(List<SeriesPartials> series, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        List<Bundle> bundles = new ArrayList<>();
        ByteSink body = new ByteSink(Math.min(maxBytes, 64 * 1024));
        int from = 0;
        long createdAt = Long.MAX_VALUE;
        for (int i = 0; i < series.size(); i++) {
            SeriesPartials s = series.get(i);
            if (s.windowSizeMillis() != series.getFirst().windowSizeMillis()) {
                throw new IllegalArgumentException("series of one message must share a window size: "
                        + s.windowSizeMillis() + " ms and " + series.getFirst().windowSizeMillis() + " ms");
            }
            ByteSink entry = new ByteSink(32 + s.windows().size() * 24);
            entry.writeLengthPrefixed(s.series().toBytes());
            writeWindows(entry, s.windows());
            if (i > from && body.size() + entry.size() > maxBytes) {
                bundles.add(bundle(series, from, i, createdAt, body));
                body = new ByteSink(Math.min(maxBytes, 64 * 1024));
                from = i;
                createdAt = Long.MAX_VALUE;
            }
            body.writeBytes(entry.toByteArray());
            createdAt = Math.min(createdAt, s.batchCreatedAt());
        }
        if (from < series.size()) {
            bundles.add(bundle(series, from, series.size(), createdAt, body));
        }
        return bundles;
    }

    /**
     * The series a message holds, whatever its version; {@code key} is needed by version 1 only.
     *
     * @throws MalformedDataException            if the bytes do not decode
     * @throws UnsupportedFormatVersionException if the version is not one this code knows
     */
    public static List<SeriesPartials> decodeMessage(byte[] key, byte[] value) {
        if (value == null || value.length == 0) {
            throw new MalformedDataException("empty partials message");
        }
        return switch (value[0]) {
            case VERSION_1 -> List.of(decodeVersion1(key, value));
            case VERSION_2 -> decodeBundle(value);
            default -> throw new UnsupportedFormatVersionException("partials", value[0] & 0xFF);
        };
    }

    private static SeriesPartials decodeVersion1(byte[] key, byte[] value) {
        if (key == null) {
            throw new MalformedDataException("a version-1 partials message needs its series as key");
        }
        SeriesKey series = SeriesKey.fromBytes(key);
        ByteSource in = new ByteSource(value);
        in.readByte(); // the version, read by decodeMessage
        long windowSize = in.readVarLong();
        long createdAt = in.readVarLong();
        SeriesPartials partials = new SeriesPartials(series, windowSize, createdAt, readWindows(in));
        requireEnd(in);
        return partials;
    }

    private static List<SeriesPartials> decodeBundle(byte[] value) {
        ByteSource in = new ByteSource(value);
        in.readByte(); // the version, read by decodeMessage
        long windowSize = in.readVarLong();
        long createdAt = in.readVarLong();
        // a series costs at least its length byte, two key bytes and a window count
        int n = in.readLength(4);
        List<SeriesPartials> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SeriesKey series = SeriesKey.fromBytes(in.readLengthPrefixed());
            out.add(new SeriesPartials(series, windowSize, createdAt, readWindows(in)));
        }
        requireEnd(in);
        return out;
    }

    private static Bundle bundle(List<SeriesPartials> series, int from, int to, long createdAt, ByteSink body) {
        ByteSink out = new ByteSink(body.size() + 32);
        out.writeByte(VERSION_2);
        out.writeVarLong(series.get(from).windowSizeMillis());
        out.writeVarLong(createdAt);
        out.writeVarInt(to - from);
        out.writeBytes(body.toByteArray());
        return new Bundle(out.toByteArray(), from, to);
    }

    private static void writeWindows(ByteSink out, List<WindowPartial> windows) {
        out.writeVarInt(windows.size());
        for (WindowPartial w : windows) {
            out.writeSignedVarLong(w.windowStart());
            PartialAggregateCodec.write(out, w.aggregate());
        }
    }

    private static List<WindowPartial> readWindows(ByteSource in) {
        int n = in.readLength(3);
        List<WindowPartial> windows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long start = in.readSignedVarLong();
            PartialAggregate aggregate = PartialAggregateCodec.read(in);
            windows.add(new WindowPartial(start, aggregate));
        }
        return windows;
    }

    private static void requireEnd(ByteSource in) {
        if (in.hasRemaining()) {
            throw new MalformedDataException("partials message followed by " + in.remaining() + " unexpected bytes");
        }
    }
}
