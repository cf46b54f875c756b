package dev.batchmesh.batcher.ingest;

import dev.batchmesh.core.contract.ProblemTypes;
import dev.batchmesh.core.series.RecordRules;
import dev.batchmesh.core.series.WindowSpec;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;

/**
 * Parses and validates an ingest body in one pass over Jackson's streaming parser, straight into
 * primitive columns. Every rule of the v1 record contract lives here; a request is accepted whole or
 * rejected whole, with the index and reason of the first {@value #MAX_REPORTED_ERRORS} bad records.
 */
public final class RecordParser {

    public static final int MAX_REPORTED_ERRORS = 100;

    /*
     * NaN and Infinity literals are let through the tokenizer so that they are reported as an invalid
     * value of one record (with its index) rather than as an unreadable body. Duplicate fields are
     * detected here per record (three known fields, one bit each) instead of by
     * STRICT_DUPLICATE_DETECTION, whose exception would abort the whole parse without a record index.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    /** RFC 3339 date-time: seconds required, fraction optional, offset required, 'T' and 'Z' in either case. */
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    private static final int SEEN_KEY = 1;
    private static final int SEEN_VALUE = 2;
    private static final int SEEN_TS = 4;
    private static final String TS_TYPE = "ts must be an integer of epoch milliseconds or an RFC 3339 string";

    private final int maxRecords;
    private final WindowSpec windows;
    private final long graceMillis;
    private final long maxFutureSkewMillis;

    public RecordParser(int maxRecords, WindowSpec windows, Duration grace, Duration maxFutureSkew) {
        this.maxRecords = maxRecords;
        this.windows = windows;
        this.graceMillis = grace.toMillis();
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
    }

    public ParsedRecords parse(byte[] body, int length, RecordFormat format, long arrivalMillis) {
        Columns columns = new Columns(Math.min(maxRecords, 64), arrivalMillis);
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body, 0, length)) {
            if (format == RecordFormat.JSON_ARRAY) {
                readArray(parser, columns);
            } else {
                readLines(parser, columns);
            }
        } catch (IngestRejectedException e) {
            throw e;
        } catch (JacksonException e) {
            throw IngestRejectedException.malformed(describe(e, format));
        }
        return columns.result();
    }

    private void readArray(JsonParser parser, Columns columns) {
        JsonToken token = parser.nextToken();
        if (token == null) {
            return;
        }
        if (token != JsonToken.START_ARRAY) {
            throw IngestRejectedException.malformed(at(parser.currentTokenLocation()) + ": expected a JSON array of record objects");
        }
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            readRecord(parser, token, columns);
        }
        if (parser.nextToken() != null) {
            throw IngestRejectedException.malformed(at(parser.currentTokenLocation()) + ": unexpected content after the array");
        }
    }

    private void readLines(JsonParser parser, Columns columns) {
        int previousLine = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
            int line = parser.currentTokenLocation().getLineNr();
            if (line == previousLine) {
                throw IngestRejectedException.malformed(at(parser.currentTokenLocation()) + ": more than one record on line " + line);
            }
            readRecord(parser, token, columns);
            if (parser.currentTokenLocation().getLineNr() != line) {
                throw IngestRejectedException.malformed("malformed NDJSON: the record starting on line " + line + " spans several lines");
            }
            previousLine = line;
        }
    }

    private void readRecord(JsonParser parser, JsonToken token, Columns columns) {
        int index = columns.count;
        if (index >= maxRecords) {
            throw IngestRejectedException.tooLarge("the request holds more than " + maxRecords + " records");
        }
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            columns.reject("record must be a JSON object");
            return;
        }
        String key = null;
        double value = 0;
        long ts = columns.arrivalMillis;
        int seen = 0;
        String problem = null;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            token = parser.nextToken();
            int bit = switch (name) {
                case "key" -> SEEN_KEY;
                case "value" -> SEEN_VALUE;
                case "ts" -> SEEN_TS;
                default -> 0;
            };
            if (bit == 0) {
                parser.skipChildren();
                problem = first(problem, "unknown field \"" + abbreviate(name) + "\"");
                continue;
            }
            if ((seen & bit) != 0) {
                parser.skipChildren();
                problem = first(problem, "duplicate field \"" + name + "\"");
                continue;
            }
            seen |= bit;
            if (problem != null) {
                parser.skipChildren();
                continue;
            }
            switch (bit) {
                case SEEN_KEY -> {
                    if (token == JsonToken.VALUE_STRING) {
                        key = parser.getString();
                    } else {
                        parser.skipChildren();
                        problem = "key must be a string";
                    }
                }
                case SEEN_VALUE -> {
                    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                        value = parser.getDoubleValue();
                        if (!Double.isFinite(value)) {
                            problem = nonFinite(parser, value);
                        }
                    } else {
                        parser.skipChildren();
                        problem = "value must be a number";
                    }
                }
                default -> {
                    if (token == JsonToken.VALUE_NUMBER_INT) {
                        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            problem = "ts is out of range";
                        } else {
                            ts = parser.getLongValue();
                        }
                    } else if (token == JsonToken.VALUE_STRING) {
                        try {
                            ts = OffsetDateTime.parse(parser.getString(), RFC_3339).toInstant().toEpochMilli();
                        } catch (DateTimeParseException | ArithmeticException e) {
                            problem = "ts is not an RFC 3339 date-time such as 2026-11-22T10:00:00.123Z";
                        }
                    } else {
                        parser.skipChildren();
                        problem = TS_TYPE;
                    }
                }
            }
        }
        if (problem == null) {
            problem = check(key, seen, ts, columns);
        }
        if (problem == null) {
            columns.add(key, ts, value);
        } else {
            columns.reject(problem);
        }
    }

    private String check(String key, int seen, long ts, Columns columns) {
        String keyProblem = RecordRules.keyViolation(key);
        if (keyProblem != null) {
            return keyProblem;
        }
        if ((seen & SEEN_VALUE) == 0) {
            return "value is missing";
        }
        if (ts > columns.latestTs) {
            return "ts is more than " + maxFutureSkewMillis + " ms ahead of the arrival time";
        }
        if (ts < columns.earliestTs) {
            return "ts is too old: its window closed more than " + graceMillis + " ms (the grace period) before arrival";
        }
        return null;
    }

    private static String nonFinite(JsonParser parser, double value) {
        if (Double.isNaN(value)) {
            return "value must be a finite number, was NaN";
        }
        String text = parser.getString();
        boolean literal = text.indexOf('I') >= 0 || text.indexOf('i') >= 0;
        return literal ? "value must be a finite number, was " + text : "value is outside the range of a double";
    }

    private static String first(String existing, String candidate) {
        return existing != null ? existing : candidate;
    }

    private static String abbreviate(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "...";
    }

    private static String describe(JacksonException e, RecordFormat format) {
        String what = format == RecordFormat.NDJSON ? "malformed NDJSON" : "malformed JSON";
        String message = e.getOriginalMessage();
        if (message != null && message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        TokenStreamLocation location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return what + where + ": " + message;
    }

    private static String at(TokenStreamLocation location) {
        return "malformed body at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The growing columns plus the error report of one request. */
    private final class Columns {

        final long arrivalMillis;
        /** The oldest ts whose window is still open: every record of a window whose end + grace has passed is late. */
        final long earliestTs;
        final long latestTs;
        String[] keys;
        long[] timestamps;
        double[] values;
        int count;
        int valid;
        int invalid;
        final List<RecordError> errors = new ArrayList<>();

        Columns(int capacity, long arrivalMillis) {
            this.arrivalMillis = arrivalMillis;
            // Late means windowEnd(ts) + grace <= arrival. The first window still open is the aligned one
            // after the window holding (arrival - grace - size); computed once, it spares every record
            // the window arithmetic and its overflow at extreme timestamps.
            long cutoff = arrivalMillis - graceMillis;
            this.earliestTs = windows.startOf(cutoff - windows.sizeMillis()) + windows.sizeMillis();
            this.latestTs = arrivalMillis + maxFutureSkewMillis;
            keys = new String[Math.max(1, capacity)];
            timestamps = new long[keys.length];
            values = new double[keys.length];
        }

        void add(String key, long ts, double value) {
            count++;
            if (invalid > 0) {
                return;
            }
            if (valid == keys.length) {
                int grown = (int) Math.min((long) keys.length * 2, maxRecords);
                keys = Arrays.copyOf(keys, grown);
                timestamps = Arrays.copyOf(timestamps, grown);
                values = Arrays.copyOf(values, grown);
            }
            keys[valid] = key;
            timestamps[valid] = ts;
            values[valid] = value;
            valid++;
        }

        void reject(String reason) {
            if (errors.size() < MAX_REPORTED_ERRORS) {
                errors.add(new RecordError(count, reason));
            }
            count++;
            invalid++;
        }

        ParsedRecords result() {
            if (count == 0) {
                throw new IngestRejectedException(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_RECORDS, RejectReason.INVALID,
                        "the request holds no records", List.of(), 0);
            }
            if (invalid > 0) {
                String detail = invalid + " of " + count + " records are invalid; nothing was accepted"
                        + (invalid > errors.size() ? " (the first " + errors.size() + " are listed)" : "");
                throw new IngestRejectedException(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_RECORDS, RejectReason.INVALID,
                        detail, errors, count);
            }
            return new ParsedRecords(valid, keys, timestamps, values);
        }
    }
}
