package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Grafana dashboards in observability/grafana/dashboards: well formed, provisioned by Compose,
 * shipped unchanged as ConfigMaps by the k8s observability component, and querying only metrics that
 * exist, so renaming a meter in a service breaks this test instead of a dashboard panel.
 */
class GrafanaDashboardsTest {

    static final Path DASHBOARDS = Manifests.ROOT.resolve("observability/grafana/dashboards");
    static final Path CONFIGMAPS = Manifests.K8S.resolve("components/observability/dashboards");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Metrics the services get from Spring Boot, Micrometer's binders, the Kafka client binder and
     * Resilience4j rather than from their own code (Prometheus names as scraped).
     */
    static final Set<String> STANDARD_METRICS = Set.of(
            // Spring Boot / Micrometer HTTP server observation (WebFlux and WebMVC)
            "http_server_requests_seconds_count", "http_server_requests_seconds_sum", "http_server_requests_seconds_max",
            "http_server_requests_seconds_bucket",
            // Micrometer JVM and process binders
            "jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_memory_committed_bytes",
            "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_max",
            "jvm_threads_live_threads", "jvm_threads_daemon_threads", "jvm_threads_peak_threads", "jvm_threads_states_threads",
            "process_cpu_usage", "system_cpu_usage", "process_uptime_seconds",
            // Micrometer KafkaClientMetrics, bound by Spring Boot to every consumer and producer factory
            "kafka_consumer_fetch_manager_records_lag_max", "kafka_consumer_fetch_manager_records_consumed_rate",
            "kafka_producer_record_send_rate", "kafka_producer_record_error_rate",
            // Resilience4j Micrometer TaggedCircuitBreakerMetrics (gateway)
            "resilience4j_circuitbreaker_state", "resilience4j_circuitbreaker_calls_seconds_count",
            "resilience4j_circuitbreaker_calls_seconds_sum", "resilience4j_circuitbreaker_not_permitted_calls_total",
            "resilience4j_circuitbreaker_failure_rate");

    private static final Pattern METER = Pattern.compile(
            "(Counter|Timer|DistributionSummary|Gauge|LongTaskTimer)\\.builder\\(\\s*\"([a-z0-9.]+)\"(.*?)\\.register\\(", Pattern.DOTALL);
    private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*\"([a-z]+)\"");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan");

    static Stream<Path> dashboards() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    @Test
    void shouldShipTheOverviewAndOneDashboardPerService() {
        assertThat(dashboards().map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                "batchmesh-overview.json", "batchmesh-gateway.json", "batchmesh-batcher.json",
                "batchmesh-processor.json", "batchmesh-aggregator.json");
    }

    @Test
    void shouldGiveEveryDashboardATitleAndAUniqueUid() {
        Set<String> uids = new HashSet<>();
        for (Path file : dashboards().toList()) {
            JsonNode dashboard = read(file);
            assertThat(dashboard.path("title").asText()).as(file + " title").isNotBlank();
            String uid = dashboard.path("uid").asText();
            assertThat(uid).as(file + " uid").matches("[a-z0-9-]{1,40}");
            assertThat(uids.add(uid)).as(file + " uid " + uid + " is unique").isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void shouldQueryThroughTheDatasourceVariableAndGiveEveryPanelAUnit(Path file) {
        JsonNode dashboard = read(file);
        List<JsonNode> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(variables::add);
        assertThat(variables).as(file + " variables").anySatisfy(v -> {
            assertThat(v.path("name").asText()).isEqualTo("datasource");
            assertThat(v.path("type").asText()).isEqualTo("datasource");
            assertThat(v.path("query").asText()).isEqualTo("prometheus");
        });
        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).as(file + " panels").isNotEmpty();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            String where = file.getFileName() + " panel '" + panel.path("title").asText() + "'";
            assertThat(ids.add(panel.path("id").asInt())).as(where + " id is unique").isTrue();
            assertThat(panel.path("datasource").path("uid").asText()).as(where + " datasource").isEqualTo("${datasource}");
            assertThat(panel.path("fieldConfig").path("defaults").path("unit").asText()).as(where + " unit").isNotBlank();
            assertThat(panel.path("targets")).as(where + " targets").isNotEmpty();
            panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).as(where + " expr").isNotBlank());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void shouldQueryOnlyMetricsThatTheServicesExport(Path file) {
        Set<String> known = knownMetrics();
        Map<String, String> unknown = new HashMap<>();
        for (String expr : expressions(read(file))) {
            for (String metric : metricNames(expr)) {
                if (!known.contains(metric)) {
                    unknown.put(metric, expr);
                }
            }
        }
        assertThat(unknown).as(file + ": metrics neither registered in a service's main sources nor in STANDARD_METRICS").isEmpty();
    }

    @Test
    void shouldFindTheServicesOwnMetersWithTheirPrometheusNames() {
        assertThat(serviceMetrics()).contains("batcher_records_accepted_total", "batcher_batch_bytes_bucket",
                "batcher_publish_latency_seconds_bucket", "batcher_buffer_bytes", "processor_batch_duration_seconds_bucket",
                "processor_batches_dead_lettered_total", "aggregator_partials_merged_total", "aggregator_queries_seconds_count",
                "batchmesh_gateway_rate_limited_total", "batchmesh_consumer_lag_records", "batchmesh_consumer_lag_max_records")
                .doesNotContain("aggregator_queries_seconds_bucket", "processor_partials_per_batch_bucket");
        assertThat(metricNames("sum by (le) (rate(a_total{x=\"b_c\", i=~\"$instance\"}[$__rate_interval])) / max(b_max) > 0.5"))
                .containsExactlyInAnyOrder("a_total", "b_max");
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, app) (rate(c_seconds_bucket[5m])))"))
                .containsExactly("c_seconds_bucket");
    }

    @Test
    void shouldProvisionTheDashboardsFolderInCompose() {
        Map<String, Object> provisioning = Manifests.yamlDocument(
                Manifests.ROOT.resolve("observability/grafana/provisioning/dashboards/dashboards.yml"));
        List<String> paths = Manifests.list(provisioning.get("providers")).stream()
                .map(p -> String.valueOf(Manifests.asMap(Manifests.asMap(p).get("options")).get("path"))).toList();
        assertThat(paths).hasSize(1);
        Map<String, Object> compose = Manifests.yamlDocument(Manifests.ROOT.resolve("docker-compose.yml"));
        Map<String, Object> grafana = Manifests.asMap(Manifests.asMap(compose.get("services")).get("grafana"));
        assertThat(Manifests.strings(grafana.get("volumes")))
                .contains("./observability/grafana/provisioning:/etc/grafana/provisioning:ro")
                .contains("./observability/grafana/dashboards:" + paths.getFirst() + ":ro");
    }

    @Test
    void shouldShipExactlyTheDashboardsAsSidecarConfigMapsInTheObservabilityComponent() throws IOException {
        Map<String, String> shipped = new HashMap<>();
        Map<String, Object> kustomization = Manifests.yamlDocument(CONFIGMAPS.getParent().resolve("kustomization.yaml"));
        assertThat(kustomization).containsEntry("kind", "Component");
        for (String resource : Manifests.strings(kustomization.get("resources"))) {
            Map<String, Object> configMap = Manifests.yamlDocument(CONFIGMAPS.getParent().resolve(resource));
            assertThat(configMap).containsEntry("kind", "ConfigMap");
            Map<String, Object> metadata = Manifests.asMap(configMap.get("metadata"));
            assertThat(Manifests.asMap(metadata.get("labels"))).as(resource).containsEntry("grafana_dashboard", "1");
            Manifests.asMap(configMap.get("data")).forEach((key, value) -> assertThat(shipped.put(key, (String) value)).as(key).isNull());
        }
        Map<String, String> dashboards = new HashMap<>();
        for (Path file : dashboards().toList()) {
            dashboards.put(file.getFileName().toString(), Files.readString(file));
        }
        assertThat(shipped).as("ConfigMaps out of sync: run python3 observability/grafana/generate_dashboards.py")
                .isEqualTo(dashboards);
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    private static List<String> expressions(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        panels(dashboard).forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                String q = query.isObject() ? query.path("query").asText() : query.asText();
                Matcher labelValues = Pattern.compile("label_values\\((.*),\\s*\\w+\\)").matcher(q);
                exprs.add(labelValues.matches() ? labelValues.group(1) : q);
            }
        }
        return exprs;
    }

    /** Metric names in a PromQL expression: identifiers outside label matchers, ranges, grouping and calls. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?").matcher(bare);
        while (m.find()) {
            String token = m.group().replaceAll("[\\s(]", "");
            if (m.group(1) == null && !PROMQL_WORDS.contains(token.toLowerCase())) {
                names.add(token);
            }
        }
        return names;
    }

    static Set<String> knownMetrics() {
        Set<String> known = new HashSet<>(STANDARD_METRICS);
        known.addAll(serviceMetrics());
        return known;
    }

    /** Modules whose auto-configuration registers meters inside the services that depend on them. */
    static final List<String> SHARED_MODULES = List.of("service-support");

    /** The Prometheus names of the meters registered in the services' (and their shared modules') main sources. */
    static Set<String> serviceMetrics() {
        Set<String> names = new LinkedHashSet<>();
        for (String service : Stream.concat(Manifests.SERVICES.stream(), SHARED_MODULES.stream()).toList()) {
            try (Stream<Path> sources = Files.walk(Manifests.ROOT.resolve(service).resolve("src/main/java"))) {
                for (Path source : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = METER.matcher(Files.readString(source));
                    while (m.find()) {
                        Matcher unit = BASE_UNIT.matcher(m.group(3));
                        names.addAll(prometheusNames(m.group(1), m.group(2), unit.find() ? unit.group(1) : null,
                                m.group(3).contains(".publishPercentileHistogram(")));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /**
     * Micrometer's PrometheusNamingConvention: dots to underscores, base unit appended, type suffixes;
     * buckets only for meters that publish a percentile histogram.
     */
    static List<String> prometheusNames(String type, String meter, String baseUnit, boolean histogram) {
        String name = meter.replace('.', '_');
        String unit = type.equals("Timer") || type.equals("LongTaskTimer") ? "seconds" : baseUnit;
        if (unit != null && !name.endsWith("_" + unit)) {
            name += "_" + unit;
        }
        return switch (type) {
            case "Counter" -> List.of(name + "_total");
            case "Gauge" -> List.of(name);
            case "LongTaskTimer" -> List.of(name + "_active_count", name + "_duration_sum", name + "_max");
            default -> histogram ? List.of(name + "_count", name + "_sum", name + "_max", name + "_bucket")
                    : List.of(name + "_count", name + "_sum", name + "_max");
        };
    }
}
