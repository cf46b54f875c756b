package dev.batchmesh.bench.loadgen.body;

import java.util.Locale;

/** The two request body formats the ingest endpoint accepts. */
public enum BodyFormat {
    NDJSON("application/x-ndjson"),
    JSON("application/json");

    private final String contentType;

    BodyFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    public static BodyFormat parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "ndjson" -> NDJSON;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("--format must be ndjson or json, was '" + text + "'");
        };
    }
}
