package dev.batchmesh.core.aggregate;

import dev.batchmesh.core.codec.ByteSink;
import dev.batchmesh.core.codec.ByteSource;
import dev.batchmesh.core.codec.MalformedDataException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantilesDoublesSketchIteratorAPI;

/**
 * Binary form of a {@link PartialAggregate}, picked by size so a partial stays small when a batch
 * holds few records of a key:
 *
 * <pre>
 * 0 EMPTY   k (varint)
 * 1 SINGLE  k (varint), value (8 bytes)                         one record: 11 bytes
 * 2 EXACT   k (varint), n (varint), n values ascending          sketch not yet compacted
 * 3 SKETCH  k, count (varint), sumHi, sumLo, min, max, mean, m2 (8 bytes each),
 *           KLL compact sketch (varint length + bytes)
 * </pre>
 *
 * While the KLL sketch has never compacted it holds every value, so EXACT lists them and the
 * statistics are recomputed on decode: the same numbers to rounding, a third of the bytes.
 */
public final class PartialAggregateCodec {

    static final int EMPTY = 0;
    static final int SINGLE = 1;
    static final int EXACT = 2;
    static final int SKETCH = 3;

    private PartialAggregateCodec() {
    }

    public static byte[] encode(PartialAggregate p) {
        ByteSink out = new ByteSink(16 + (int) Math.min(p.count(), 256) * 8);
        write(out, p);
        return out.toByteArray();
    }

    public static PartialAggregate decode(byte[] bytes) {
        ByteSource in = new ByteSource(bytes);
        PartialAggregate p = read(in);
        if (in.hasRemaining()) {
            throw new MalformedDataException("partial aggregate followed by " + in.remaining() + " unexpected bytes");
        }
        return p;
    }

    public static void write(ByteSink out, PartialAggregate p) {
        KllDoublesSketch sketch = p.sketch();
        int k = p.sketchK();
        if (p.count() == 0) {
            out.writeByte(EMPTY).writeVarInt(k);
        } else if (p.count() == 1) {
            out.writeByte(SINGLE).writeVarInt(k).writeDouble(p.min());
        } else if (!sketch.isEstimationMode() && sketch.getN() == p.count()) {
            out.writeByte(EXACT).writeVarInt(k).writeVarLong(p.count());
            for (double v : retainedValues(sketch, (int) p.count())) {
                out.writeDouble(v);
            }
        } else {
            out.writeByte(SKETCH).writeVarInt(k).writeVarLong(p.count());
            out.writeDouble(p.sumHi()).writeDouble(p.sumLo()).writeDouble(p.min()).writeDouble(p.max())
                    .writeDouble(p.rawMean()).writeDouble(p.m2());
            out.writeLengthPrefixed(sketch.toByteArray());
        }
    }

    public static PartialAggregate read(ByteSource in) {
        int form = in.readByte();
        long k = in.readVarLong();
        if (k < 8 || k > KllDoublesSketch.MAX_K) {
            throw new MalformedDataException("sketch k " + k + " out of range");
        }
        return switch (form) {
            case EMPTY -> PartialAggregate.empty((int) k);
            case SINGLE -> accumulate((int) k, new double[] {in.readDouble()});
            case EXACT -> {
                int n = in.readLength(8);
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = in.readDouble();
                }
                yield accumulate((int) k, values);
            }
            case SKETCH -> readSketchForm(in);
            default -> throw new MalformedDataException("unknown partial aggregate form " + form);
        };
    }

    private static PartialAggregate readSketchForm(ByteSource in) {
        long count = in.readVarLong();
        double sumHi = in.readDouble();
        double sumLo = in.readDouble();
        double min = in.readDouble();
        double max = in.readDouble();
        double mean = in.readDouble();
        double m2 = in.readDouble();
        byte[] sketchBytes = in.readLengthPrefixed();
        KllDoublesSketch sketch;
        try {
            sketch = KllDoublesSketch.heapify(MemorySegment.ofArray(sketchBytes));
        } catch (RuntimeException | AssertionError e) {
            // DataSketches validates with assertions and unchecked exceptions of several kinds
            throw new MalformedDataException("corrupt quantile sketch: " + e.getMessage(), e);
        }
        if (count < 2 || sketch.getN() != count || !(min <= max)) {
            throw new MalformedDataException("inconsistent partial aggregate: count " + count + ", sketch n " + sketch.getN());
        }
        return new PartialAggregate(count, sumHi, sumLo, min, max, mean, m2, sketch);
    }

    private static PartialAggregate accumulate(int k, double[] values) {
        WindowAccumulator acc = new WindowAccumulator(k);
        try {
            for (double v : values) {
                acc.add(v);
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("partial aggregate holds a non-finite value", e);
        }
        return acc.toPartial();
    }

    private static double[] retainedValues(KllDoublesSketch sketch, int n) {
        double[] values = new double[n];
        int i = 0;
        QuantilesDoublesSketchIteratorAPI it = sketch.iterator();
        while (it.next()) {
            for (long w = it.getWeight(); w > 0; w--) {
                values[i++] = it.getQuantile();
            }
        }
        Arrays.sort(values);
        return values;
    }
}
