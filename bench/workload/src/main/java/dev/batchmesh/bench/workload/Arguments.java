package dev.batchmesh.bench.workload;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of the benchmark tools, {@code --name value} or {@code --name=value}. Every
 * option read is remembered, so {@link #rejectUnused()} can refuse a misspelt one instead of
 * silently running with a default.
 */
public final class Arguments {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> used = new LinkedHashSet<>();

    private Arguments() {
    }

    public static Arguments parse(String... args) {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected an option --name, got '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            String name;
            String value;
            if (eq > 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + arg + " needs a value");
                }
                name = arg.substring(2);
                value = args[++i];
            }
            if (parsed.values.put(name, value) != null) {
                throw new IllegalArgumentException("option --" + name + " given twice");
            }
        }
        return parsed;
    }

    public String string(String name, String defaultValue) {
        used.add(name);
        return values.getOrDefault(name, defaultValue);
    }

    public int integer(String name, int defaultValue) {
        long v = longValue(name, defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + name + " is out of range: " + v);
        }
        return (int) v;
    }

    public long longValue(String name, long defaultValue) {
        String text = string(name, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, was '" + text + "'");
        }
    }

    public double decimal(String name, double defaultValue) {
        String text = string(name, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, was '" + text + "'");
        }
    }

    /** An ISO-8601 duration such as {@code PT10S} or {@code PT5M}. */
    public Duration duration(String name, Duration defaultValue) {
        String text = string(name, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--" + name + " must be an ISO-8601 duration such as PT10S, was '" + text + "'");
        }
    }

    public boolean flag(String name, boolean defaultValue) {
        String text = string(name, null);
        if (text == null) {
            return defaultValue;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--" + name + " must be true or false, was '" + text + "'");
        };
    }

    /** Fails naming every option that was given but never read. */
    public void rejectUnused() {
        List<String> unknown = values.keySet().stream().filter(name -> !used.contains(name)).map(name -> "--" + name).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + String.join(", ", unknown));
        }
    }
}
