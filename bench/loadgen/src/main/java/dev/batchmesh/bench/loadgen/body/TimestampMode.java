package dev.batchmesh.bench.loadgen.body;

import java.util.Locale;

/**
 * Which event times the records carry. {@code LIVE} moves each body's times to the request's intended
 * send time, keeping the workload's spacing and jitter inside the body, so a run of any length stays
 * within the pipeline's grace period and its windows close as they would in production.
 * {@code WORKLOAD} sends the workload's own times unchanged (they repeat as the body pool cycles).
 */
public enum TimestampMode {
    LIVE,
    WORKLOAD;

    public static TimestampMode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "live" -> LIVE;
            case "workload" -> WORKLOAD;
            default -> throw new IllegalArgumentException("--timestamps must be live or workload, was '" + text + "'");
        };
    }
}
