package dev.batchmesh.aggregator.query;

import dev.batchmesh.aggregator.config.AggregatorProperties;
import dev.batchmesh.core.contract.TenantHeader;
import dev.batchmesh.core.series.RecordRules;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Parses and checks the parameters of the query API; every failure names the parameter.
 *
 * <p>Semantics: {@code from}/{@code to} are epoch milliseconds or RFC 3339 timestamps, the range is
 * half-open {@code [from, to)} and a base window belongs to it when its start does. Without
 * {@code to} the range ends now; without {@code from} it starts {@code aggregator.query.default-range}
 * (1 hour) before {@code to}. {@code step} is an ISO-8601 duration, a positive multiple of the base
 * window, by default the base window.
 */
@Component
class QueryParameters {

    /** Years 0000 to 9999, the span RFC 3339 can write. */
    private static final long MIN_MILLIS = -62_167_219_200_000L;
    private static final long MAX_MILLIS = 253_402_300_799_999L;
    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d{1,18}");

    private final Clock clock;
    private final long baseWindowMillis;
    private final Duration defaultRange;
    private final int maxWindows;

    QueryParameters(AggregatorProperties properties, Clock clock) {
        this.clock = clock;
        this.baseWindowMillis = properties.windowSize().toMillis();
        this.defaultRange = properties.query().defaultRange();
        this.maxWindows = properties.query().maxWindows();
    }

    long baseWindowMillis() {
        return baseWindowMillis;
    }

    String tenant(String header) {
        if (header == null || header.isEmpty()) {
            throw new UnauthenticatedException("missing " + TenantHeader.NAME + " header: requests must come through the gateway");
        }
        if (!RecordRules.isValidTenant(header)) {
            throw new UnauthenticatedException("invalid " + TenantHeader.NAME + " header");
        }
        return header;
    }

    String stream(String stream) {
        if (!RecordRules.isValidStream(stream)) {
            throw new InvalidParameterException("stream", "stream must match [A-Za-z0-9._-]{1,64}");
        }
        return stream;
    }

    String key(String key) {
        String violation = RecordRules.keyViolation(key);
        if (violation != null) {
            throw new InvalidParameterException("key", violation);
        }
        return key;
    }

    TimeRange range(String from, String to) {
        long toMillis = isAbsent(to) ? clock.millis() : instant("to", to);
        long fromMillis = isAbsent(from) ? toMillis - defaultRange.toMillis() : instant("from", from);
        if (fromMillis >= toMillis) {
            throw new InvalidParameterException("from", "from must be before to (the range is [from, to))");
        }
        return new TimeRange(fromMillis, toMillis);
    }

    /** The step in milliseconds; {@code null} or empty means the base window. */
    Duration step(String step) {
        if (isAbsent(step)) {
            return Duration.ofMillis(baseWindowMillis);
        }
        Duration parsed;
        try {
            parsed = Duration.parse(step.trim());
        } catch (DateTimeException e) {
            throw new InvalidParameterException("step", "step must be an ISO-8601 duration such as PT10S, got '" + step + "'");
        }
        if (!parsed.isPositive()) {
            throw new InvalidParameterException("step", "step must be positive");
        }
        if (parsed.toNanosPart() % 1_000_000 != 0 || parsed.toMillis() % baseWindowMillis != 0) {
            throw new InvalidParameterException("step", "step must be a multiple of the base window "
                    + Duration.ofMillis(baseWindowMillis));
        }
        return parsed;
    }

    /** Refuses a range and step that would produce more output windows than the configured maximum. */
    void checkWindowCount(TimeRange range, Duration step) {
        long stepMillis = step.toMillis();
        long firstStart = Math.floorDiv(range.fromMillis(), baseWindowMillis) * baseWindowMillis;
        if (firstStart < range.fromMillis()) {
            firstStart += baseWindowMillis;
        }
        long lastStart = Math.floorDiv(range.toMillis() - 1, baseWindowMillis) * baseWindowMillis;
        if (firstStart > lastStart) {
            return;
        }
        long windows = Math.floorDiv(lastStart, stepMillis) - Math.floorDiv(firstStart, stepMillis) + 1;
        if (windows > maxWindows) {
            throw new InvalidParameterException("step", "the range and step give " + windows
                    + " windows, more than the limit of " + maxWindows + ": use a larger step or a shorter range");
        }
    }

    private static boolean isAbsent(String value) {
        return value == null || value.isEmpty();
    }

    private static long instant(String name, String raw) {
        String value = raw.trim();
        long millis;
        if (EPOCH_MILLIS.matcher(value).matches()) {
            millis = Long.parseLong(value);
        } else {
            try {
                // a '+' offset arrives as a space when the client did not percent-encode it
                Instant instant = OffsetDateTime.parse(value.replace(' ', '+').toUpperCase(Locale.ROOT),
                        DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                // round up: window starts are whole milliseconds, so start >= t iff start >= ceil(t)
                millis = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1000L),
                        (instant.getNano() + 999_999) / 1_000_000);
            } catch (DateTimeException | ArithmeticException e) {
                throw new InvalidParameterException(name, name + " must be epoch milliseconds or an RFC 3339 timestamp, got '"
                        + raw + "'");
            }
        }
        if (millis < MIN_MILLIS || millis > MAX_MILLIS) {
            throw new InvalidParameterException(name, name + " is outside years 0000 to 9999");
        }
        return millis;
    }
}
