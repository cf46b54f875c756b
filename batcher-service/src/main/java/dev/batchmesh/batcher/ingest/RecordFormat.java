package dev.batchmesh.batcher.ingest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;

/** The two body formats of the v1 ingest API. */
public enum RecordFormat {
    /** {@code application/json}: one JSON array of record objects. */
    JSON_ARRAY,
    /** {@code application/x-ndjson}: one record object per line, blank lines ignored. */
    NDJSON;

    /** The format of a content type, or null when it is not one we accept (including any charset but UTF-8). */
    public static RecordFormat of(MediaType contentType) {
        if (contentType == null) {
            return null;
        }
        RecordFormat format;
        if (MediaType.APPLICATION_JSON.equalsTypeAndSubtype(contentType)) {
            format = JSON_ARRAY;
        } else if (MediaType.APPLICATION_NDJSON.equalsTypeAndSubtype(contentType)) {
            format = NDJSON;
        } else {
            return null;
        }
        String charset = contentType.getParameter("charset");
        if (charset == null) {
            return format;
        }
        try {
            return StandardCharsets.UTF_8.equals(Charset.forName(unquote(charset))) ? format : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
