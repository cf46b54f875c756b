package dev.batchmesh.bench.loadgen.body;

import dev.batchmesh.bench.workload.WorkloadGenerator;
import dev.batchmesh.bench.workload.WorkloadRecord;
import dev.batchmesh.bench.workload.WorkloadSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Request bodies encoded before the run, so that the generator spends its time sending rather than
 * encoding: {@code size} bodies of {@code recordsPerRequest} consecutive workload records each, used
 * in turn. Not thread-safe: one sender takes bodies from it.
 */
public final class BodyPool {

    private final List<RequestBody> bodies;
    private final BodyFormat format;
    private final TimestampMode timestamps;
    private int next;

    private BodyPool(List<RequestBody> bodies, BodyFormat format, TimestampMode timestamps) {
        this.bodies = bodies;
        this.format = format;
        this.timestamps = timestamps;
    }

    public static BodyPool encode(WorkloadSpec spec, BodyFormat format, TimestampMode timestamps, int recordsPerRequest, int size) {
        if (recordsPerRequest < 1 || size < 1) {
            throw new IllegalArgumentException("records per request and pool size must be positive");
        }
        WorkloadGenerator generator = new WorkloadGenerator(spec);
        List<RequestBody> bodies = new ArrayList<>(size);
        for (int b = 0; b < size; b++) {
            long firstNominal = spec.timestamps().nominalMillis(generator.generated());
            List<WorkloadRecord> records = new ArrayList<>(recordsPerRequest);
            for (int r = 0; r < recordsPerRequest; r++) {
                records.add(generator.next());
            }
            bodies.add(encodeBody(records, format, firstNominal));
        }
        return new BodyPool(List.copyOf(bodies), format, timestamps);
    }

    static RequestBody encodeBody(List<WorkloadRecord> records, BodyFormat format, long firstNominalMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 64);
        int[] positions = new int[records.size()];
        long[] offsets = new long[records.size()];
        if (format == BodyFormat.JSON) {
            out.write('[');
        }
        StringBuilder line = new StringBuilder(96);
        for (int i = 0; i < records.size(); i++) {
            WorkloadRecord record = records.get(i);
            line.setLength(0);
            if (format == BodyFormat.JSON && i > 0) {
                line.append(',');
            }
            line.append("{\"key\":");
            appendJsonString(line, record.key());
            line.append(",\"value\":").append(record.value()).append(",\"ts\":");
            byte[] head = line.toString().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(head);
            positions[i] = out.size();
            offsets[i] = record.timestampMillis() - firstNominalMillis;
            byte[] ts = new byte[RequestBody.TS_DIGITS];
            RequestBody.writeDigits(ts, 0, record.timestampMillis());
            out.writeBytes(ts);
            out.write('}');
            if (format == BodyFormat.NDJSON) {
                out.write('\n');
            }
        }
        if (format == BodyFormat.JSON) {
            out.write(']');
        }
        return new RequestBody(out.toByteArray(), positions, offsets, records.size());
    }

    private static void appendJsonString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    public BodyFormat format() {
        return format;
    }

    public int size() {
        return bodies.size();
    }

    public int recordsPerRequest() {
        return bodies.getFirst().records();
    }

    public long totalBytes() {
        return bodies.stream().mapToLong(b -> b.template().length).sum();
    }

    /** The next body in turn, its times moved to {@code sendMillis} when the mode is {@link TimestampMode#LIVE}. */
    public byte[] next(long sendMillis) {
        RequestBody body = bodies.get(next);
        next = (next + 1) % bodies.size();
        return timestamps == TimestampMode.LIVE ? body.rebasedTo(sendMillis) : body.template();
    }
}
