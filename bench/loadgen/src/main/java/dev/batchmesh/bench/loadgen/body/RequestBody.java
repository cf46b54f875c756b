package dev.batchmesh.bench.loadgen.body;

/**
 * One pre-encoded request body. Every {@code ts} is written as 13 epoch-millisecond digits so that
 * {@link #rebasedTo} can move all of a body's times with a copy and digit writes, without encoding
 * JSON during the run.
 *
 * @param template      the encoded body with the workload's timestamps
 * @param tsPositions   where each record's 13 timestamp digits start in {@code template}
 * @param tsOffsets     each record's time relative to the body's first nominal time, in ms
 * @param records       records in the body
 */
public record RequestBody(byte[] template, int[] tsPositions, long[] tsOffsets, int records) {

    static final int TS_DIGITS = 13;
    private static final long MIN_TS = 1_000_000_000_000L;
    private static final long MAX_TS = 9_999_999_999_999L;

    /** A copy of the body whose record times are {@code baseMillis} plus each record's offset. */
    public byte[] rebasedTo(long baseMillis) {
        byte[] bytes = template.clone();
        for (int i = 0; i < tsPositions.length; i++) {
            writeDigits(bytes, tsPositions[i], baseMillis + tsOffsets[i]);
        }
        return bytes;
    }

    static void writeDigits(byte[] bytes, int position, long millis) {
        if (millis < MIN_TS || millis > MAX_TS) {
            throw new IllegalArgumentException("timestamp " + millis + " does not have " + TS_DIGITS + " digits");
        }
        long rest = millis;
        for (int i = position + TS_DIGITS - 1; i >= position; i--) {
            bytes[i] = (byte) ('0' + (int) (rest % 10));
            rest /= 10;
        }
    }
}
