package dev.batchmesh.deployment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's own application.yml says about its ports and graceful shutdown, read from the
 * service module (read-only), so deployment files cannot drift from the code's defaults.
 *
 * @param shutdownPhaseVariable the environment variable that overrides the phase, or null
 */
record ApplicationConfig(int serverPort, int managementPort, Duration shutdownPhase, String shutdownPhaseVariable) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+):([^}]+)}");

    static ApplicationConfig of(String service) {
        Map<String, Object> yaml = Manifests.yamlDocument(Manifests.ROOT.resolve(Path.of(service, "src", "main", "resources", "application.yml")));
        Placeholder server = Placeholder.parse(Manifests.map(yaml, "server").get("port"));
        Placeholder management = Placeholder.parse(Manifests.map(Manifests.map(yaml, "management"), "server").get("port"));
        Placeholder phase = Placeholder.parse(Manifests.map(Manifests.map(yaml, "spring"), "lifecycle").get("timeout-per-shutdown-phase"));
        return new ApplicationConfig(Integer.parseInt(server.defaultValue()), Integer.parseInt(management.defaultValue()),
                duration(phase.defaultValue()), phase.variable());
    }

    /** Spring's simple duration format as used in these files: 20s, 500ms, 1m. */
    static Duration duration(String value) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m)").matcher(value.trim());
        if (!m.matches()) {
            return Duration.parse(value.trim());
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }

    /** {@code ${VARIABLE:default}}, or a plain value (variable null). */
    record Placeholder(String variable, String defaultValue) {

        static Placeholder parse(Object value) {
            String text = String.valueOf(value);
            Matcher m = PLACEHOLDER.matcher(text);
            return m.matches() ? new Placeholder(m.group(1), m.group(2)) : new Placeholder(null, text);
        }
    }
}
