package dev.batchmesh.e2e.support;

import dev.batchmesh.core.testing.ValueShapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded records over many keys and several windows, kept by the test so it can compute every
 * expected window itself, independently of the pipeline.
 */
public final class Workload {

    public record Point(String key, double value, long ts) {
    }

    private final List<Point> points = new ArrayList<>();

    public Workload(long seed, int records, int keys, long firstWindowStart, int windows, long windowMillis) {
        SplittableRandom random = new SplittableRandom(seed);
        ValueShapes[] shapes = {ValueShapes.LATENCY_MS, ValueShapes.ORDER_AMOUNTS, ValueShapes.TEMPERATURE, ValueShapes.SMALL_INTEGERS};
        for (int i = 0; i < records; i++) {
            int k = random.nextInt(keys);
            long ts = firstWindowStart + random.nextLong(windows * windowMillis);
            points.add(new Point(keyName(k), shapes[k % shapes.length].next(random), ts));
        }
    }

    public static String keyName(int k) {
        return String.format(Locale.ROOT, "key-%03d", k);
    }

    public List<Point> points() {
        return points;
    }

    /** Values grouped by key, then by the start of the {@code stepMillis} window they fall in. */
    public Map<String, Map<Long, List<Double>>> byKeyAndWindow(long stepMillis) {
        Map<String, Map<Long, List<Double>>> out = new HashMap<>();
        for (Point p : points) {
            long start = Math.floorDiv(p.ts(), stepMillis) * stepMillis;
            out.computeIfAbsent(p.key(), k -> new HashMap<>()).computeIfAbsent(start, s -> new ArrayList<>()).add(p.value());
        }
        return out;
    }

    /** The records as request bodies of {@code perRequest} records, alternating JSON arrays and NDJSON. */
    public List<Body> bodies(int perRequest) {
        List<Body> bodies = new ArrayList<>();
        for (int from = 0; from < points.size(); from += perRequest) {
            List<Point> chunk = points.subList(from, Math.min(points.size(), from + perRequest));
            boolean ndjson = (from / perRequest) % 2 == 1;
            bodies.add(new Body(ndjson ? "application/x-ndjson" : "application/json", render(chunk, ndjson), chunk.size()));
        }
        return bodies;
    }

    public record Body(String contentType, String text, int records) {
    }

    public static String render(List<Point> chunk, boolean ndjson) {
        StringBuilder sb = new StringBuilder(chunk.size() * 64);
        if (!ndjson) {
            sb.append('[');
        }
        for (int i = 0; i < chunk.size(); i++) {
            Point p = chunk.get(i);
            if (i > 0) {
                sb.append(ndjson ? "\n" : ",");
            }
            // Timestamps alternate between epoch millis and RFC 3339, as clients send both.
            String ts = i % 3 == 0 ? "\"" + java.time.Instant.ofEpochMilli(p.ts()) + "\"" : Long.toString(p.ts());
            sb.append("{\"key\":\"").append(p.key()).append("\",\"value\":").append(p.value()).append(",\"ts\":").append(ts).append('}');
        }
        if (!ndjson) {
            sb.append(']');
        }
        return sb.toString();
    }
}
