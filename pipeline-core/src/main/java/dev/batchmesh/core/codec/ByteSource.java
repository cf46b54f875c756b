package dev.batchmesh.core.codec;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteSink} wrote; every read is bounds-checked and fails with {@link MalformedDataException}. */
public final class ByteSource {

    private final byte[] buf;
    private final int limit;
    private int pos;

    public ByteSource(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteSource(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    public int remaining() {
        return limit - pos;
    }

    private void require(int n) {
        if (n < 0 || limit - pos < n) {
            throw new MalformedDataException("truncated: needed " + n + " bytes at offset " + pos + ", " + (limit - pos) + " left");
        }
    }

    public int readByte() {
        require(1);
        return buf[pos++] & 0xFF;
    }

    public byte[] readBytes(int n) {
        require(n);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    public long readLong() {
        require(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    public long readVarLong() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new MalformedDataException("varint longer than 10 bytes at offset " + pos);
    }

    /** A non-negative count or length, checked against what is left so corrupt input cannot force a huge allocation. */
    public int readLength(int bytesPerElement) {
        long v = readVarLong();
        if (v < 0 || v > Integer.MAX_VALUE || v * Math.max(1, bytesPerElement) > remaining()) {
            throw new MalformedDataException("length " + v + " exceeds the " + remaining() + " bytes left at offset " + pos);
        }
        return (int) v;
    }

    public long readSignedVarLong() {
        long raw = readVarLong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    public String readString() {
        int n = readLength(1);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    public byte[] readLengthPrefixed() {
        return readBytes(readLength(1));
    }
}
