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
 * Value format of a {@code partials} message, version 1. The series is the message key
 * ({@link SeriesKey#toBytes()}), so the value holds only:
 *
 * <pre>
 * version 0x01, window size ms (varlong), batch createdAt (varlong), window count (varint),
 * then per window: start (zigzag varlong), partial aggregate ({@link PartialAggregateCodec})
 * </pre>
 *
 * The window size travels with every message so an aggregator configured for another base window
 * refuses the message instead of merging it into the wrong windows.
 */
public final class SeriesPartialsCodec {

    public static final int VERSION_1 = 1;

    private SeriesPartialsCodec() {
    }

    public static byte[] encodeValue(SeriesPartials partials) {
        ByteSink out = new ByteSink(24 + partials.windows().size() * 24);
        out.writeByte(VERSION_1);
        out.writeVarLong(partials.windowSizeMillis());
        out.writeVarLong(partials.batchCreatedAt());
        out.writeVarInt(partials.windows().size());
        for (WindowPartial w : partials.windows()) {
            out.writeSignedVarLong(w.windowStart());
            PartialAggregateCodec.write(out, w.aggregate());
        }
        return out.toByteArray();
    }

    public static SeriesPartials decode(byte[] key, byte[] value) {
        SeriesKey series = SeriesKey.fromBytes(key);
        if (value == null || value.length == 0) {
            throw new MalformedDataException("empty partials message");
        }
        ByteSource in = new ByteSource(value);
        int version = in.readByte();
        if (version != VERSION_1) {
            throw new UnsupportedFormatVersionException("partials", version);
        }
        long windowSize = in.readVarLong();
        long createdAt = in.readVarLong();
        int n = in.readLength(3);
        List<WindowPartial> windows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long start = in.readSignedVarLong();
            PartialAggregate aggregate = PartialAggregateCodec.read(in);
            windows.add(new WindowPartial(start, aggregate));
        }
        if (in.hasRemaining()) {
            throw new MalformedDataException("partials message followed by " + in.remaining() + " unexpected bytes");
        }
        return new SeriesPartials(series, windowSize, createdAt, windows);
    }
}
