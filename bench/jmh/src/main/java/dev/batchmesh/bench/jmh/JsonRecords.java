package dev.batchmesh.bench.jmh;

import dev.batchmesh.bench.workload.WorkloadRecord;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The records as clients send them, {@code {"key", "value", "ts"}} objects in a JSON array or as
 * NDJSON lines, written and read with Jackson's streaming API straight from and into primitive
 * columns: the way the batcher's ingest parser reads a body, so the comparison with the binary
 * format is fair to JSON.
 */
final class JsonRecords {

    /** The two body formats of the ingest API. */
    enum Format {
        ARRAY, NDJSON
    }

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final JsonFactory NDJSON = JsonFactory.builder().rootValueSeparator("\n").build();

    /** Decoded records as parallel columns. */
    record Columns(String[] keys, double[] values, long[] timestamps) {
    }

    private JsonRecords() {
    }

    static byte[] encode(List<WorkloadRecord> records, Format format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 56);
        JsonFactory factory = format == Format.ARRAY ? JSON : NDJSON;
        try (JsonGenerator g = factory.createGenerator(ObjectWriteContext.empty(), out)) {
            if (format == Format.ARRAY) {
                g.writeStartArray();
            }
            for (WorkloadRecord r : records) {
                g.writeStartObject();
                g.writeStringProperty("key", r.key());
                g.writeNumberProperty("value", r.value());
                g.writeNumberProperty("ts", r.timestampMillis());
                g.writeEndObject();
            }
            if (format == Format.ARRAY) {
                g.writeEndArray();
            }
        }
        return out.toByteArray();
    }

    static Columns decode(byte[] body, Format format) {
        String[] keys = new String[64];
        double[] values = new double[64];
        long[] timestamps = new long[64];
        int n = 0;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body)) {
            if (format == Format.ARRAY && p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("expected a JSON array");
            }
            // in an array the objects end at END_ARRAY, in NDJSON at the end of input
            while (p.nextToken() == JsonToken.START_OBJECT) {
                if (n == keys.length) {
                    keys = Arrays.copyOf(keys, n * 2);
                    values = Arrays.copyOf(values, n * 2);
                    timestamps = Arrays.copyOf(timestamps, n * 2);
                }
                String name;
                while ((name = p.nextName()) != null) {
                    p.nextToken();
                    switch (name) {
                        case "key" -> keys[n] = p.getString();
                        case "value" -> values[n] = p.getDoubleValue();
                        case "ts" -> timestamps[n] = p.getLongValue();
                        default -> p.skipChildren();
                    }
                }
                n++;
            }
        }
        return new Columns(Arrays.copyOf(keys, n), Arrays.copyOf(values, n), Arrays.copyOf(timestamps, n));
    }
}
