package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** docker-compose.yml and the observability files it mounts. */
class ComposeFileTest {

    private static final Map<String, Object> COMPOSE = Manifests.yamlDocument(Manifests.ROOT.resolve("docker-compose.yml"));
    private static final Set<String> CONDITIONS = Set.of("service_healthy", "service_completed_successfully");

    static Map<String, Object> services() {
        return Manifests.map(COMPOSE, "services");
    }

    static Stream<String> serviceNames() {
        return services().keySet().stream();
    }

    /** Services that run to completion once (topic creation): no health to check, nothing depends on their health. */
    static boolean oneShot(String name) {
        return "no".equals(String.valueOf(Manifests.map(services(), name).get("restart")));
    }

    @Test
    void shouldUseTheComposeSpecificationWithoutAVersionKey() {
        assertThat(COMPOSE).doesNotContainKey("version");
        assertThat(services()).containsKeys("kafka", "topic-init");
        assertThat(services()).containsKeys(Manifests.SERVICES.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceNames")
    void shouldPinEveryImageTag(String name) {
        String image = String.valueOf(Manifests.map(services(), name).get("image"));
        // a literal tag, or a variable with a literal default: batchmesh/x:${BATCHMESH_TAG:-dev}
        assertThat(image).as(name).matches("[a-z0-9./-]+:([A-Za-z0-9._-]+|\\$\\{[A-Z_]+:-[A-Za-z0-9._-]+})")
                .doesNotEndWith(":latest").doesNotEndWith(":-latest}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceNames")
    void shouldLimitMemory(String name) {
        Map<String, Object> service = Manifests.map(services(), name);
        Object limit = service.containsKey("mem_limit") ? service.get("mem_limit")
                : Manifests.map(Manifests.map(Manifests.map(service, "deploy"), "resources"), "limits").get("memory");
        assertThat(limit).as(name + " memory limit").isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceNames")
    void shouldCheckHealthOfEveryLongRunningService(String name) {
        if (oneShot(name)) {
            return;
        }
        Map<String, Object> healthcheck = Manifests.map(Manifests.map(services(), name), "healthcheck");
        assertThat(Manifests.strings(healthcheck.get("test"))).as(name).isNotEmpty();
        assertThat(healthcheck).containsKeys("interval", "timeout", "retries");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serviceNames")
    void shouldStartOnlyAfterWhatItDependsOnIsHealthyOrDone(String name) {
        Map<String, Object> dependsOn = Manifests.map(Manifests.map(services(), name), "depends_on");
        dependsOn.forEach((dependency, spec) -> {
            String condition = String.valueOf(Manifests.asMap(spec).get("condition"));
            assertThat(condition).as(name + " -> " + dependency).isIn(CONDITIONS);
            assertThat(services()).containsKey(dependency);
            assertThat(condition.equals("service_completed_successfully")).as(name + " -> " + dependency).isEqualTo(oneShot(dependency));
        });
        if (Manifests.SERVICES.contains(name) || name.equals("topic-init")) {
            assertThat(dependsOn).as(name).isNotEmpty();
        }
    }

    @Test
    void shouldBuildEveryServiceFromTheSharedDockerfileAndProbeItsManagementPort() {
        for (String name : Manifests.SERVICES) {
            Map<String, Object> service = Manifests.map(services(), name);
            Map<String, Object> build = Manifests.map(service, "build");
            assertThat(build).containsEntry("context", ".").containsEntry("dockerfile", "docker/Dockerfile");
            ApplicationConfig config = ApplicationConfig.of(name);
            assertThat(Manifests.map(build, "args")).containsEntry("SERVICE", name)
                    .containsEntry("SERVER_PORT", String.valueOf(config.serverPort()))
                    .containsEntry("MANAGEMENT_PORT", String.valueOf(config.managementPort()));
            Map<String, Object> env = Manifests.map(service, "environment");
            assertThat(env).containsEntry("MANAGEMENT_PORT", String.valueOf(config.managementPort()))
                    .containsEntry("SERVER_PORT", String.valueOf(config.serverPort()));
            assertThat(String.join(" ", Manifests.strings(Manifests.map(service, "healthcheck").get("test"))))
                    .contains("/actuator/health/readiness").contains("MANAGEMENT_PORT");
            assertThat(String.valueOf(service.get("stop_grace_period"))).as(name).matches("\\d+s");
            assertThat(ApplicationConfig.duration(String.valueOf(service.get("stop_grace_period"))))
                    .isGreaterThan(config.shutdownPhase());
        }
    }

    @Test
    void shouldWireServicesToKafkaAndToEachOther() {
        for (String name : List.of("batcher-service", "processor-service", "aggregator-service")) {
            assertThat(Manifests.map(Manifests.map(services(), name), "environment")).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        }
        Map<String, Object> gateway = Manifests.map(services(), "gateway-service");
        assertThat(Manifests.map(gateway, "environment"))
                .containsEntry("BATCHER_URI", "http://batcher-service:" + ApplicationConfig.of("batcher-service").serverPort())
                .containsEntry("AGGREGATOR_URI", "http://aggregator-service:" + ApplicationConfig.of("aggregator-service").serverPort());
        assertThat(Manifests.strings(gateway.get("ports"))).containsExactly("8080:8080");
        assertThat(Manifests.map(services(), "batcher-service")).doesNotContainKey("ports");
    }

    @Test
    void shouldKeepTheAggregatorStateOnANamedVolume() {
        Map<String, Object> aggregator = Manifests.map(services(), "aggregator-service");
        String stateDir = String.valueOf(Manifests.map(aggregator, "environment").get("AGGREGATOR_STATE_DIR"));
        assertThat(Manifests.strings(aggregator.get("volumes"))).anySatisfy(volume -> {
            String[] parts = volume.split(":");
            assertThat(parts[1]).isEqualTo(stateDir);
            assertThat(Manifests.map(COMPOSE, "volumes")).containsKey(parts[0]);
        });
    }

    @Test
    void shouldCreateThePipelineTopicsOnceKafkaIsHealthy() {
        String script = String.join("\n", Manifests.strings(Manifests.map(services(), "topic-init").get("command")));
        assertThat(script).contains("microbatches:6", "partials:6", "microbatches-dlt:1", "--if-not-exists");
        assertThat(Manifests.map(Manifests.map(services(), "kafka"), "environment"))
                .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", 1)
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", 1);
        assertThat(String.valueOf(Manifests.map(services(), "kafka").get("image"))).startsWith("apache/kafka:4.1.");
    }

    @Test
    void shouldAddObservabilityOnlyInItsProfileAndExportTracesOnlyWhenConfigured() {
        for (String name : List.of("prometheus", "grafana", "jaeger")) {
            assertThat(Manifests.strings(Manifests.map(services(), name).get("profiles"))).as(name).containsExactly("observability");
        }
        for (String name : Manifests.SERVICES) {
            Map<String, Object> env = Manifests.map(Manifests.map(services(), name), "environment");
            assertThat(Manifests.map(services(), name)).doesNotContainKey("profiles");
            assertThat(env).as("passed through only when set in the shell")
                    .containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", null);
        }
    }

    @Test
    void shouldScrapeEveryServicesPrometheusEndpointOnItsManagementPort() {
        Map<String, Object> prometheus = Manifests.yamlDocument(Manifests.ROOT.resolve("observability/prometheus/prometheus.yml"));
        List<Object> jobs = Manifests.list(prometheus.get("scrape_configs"));
        assertThat(jobs).allSatisfy(job -> assertThat(Manifests.asMap(job)).containsEntry("metrics_path", "/actuator/prometheus"));
        List<String> targets = jobs.stream().flatMap(job -> Manifests.list(Manifests.asMap(job).get("static_configs")).stream())
                .flatMap(config -> Manifests.strings(Manifests.asMap(config).get("targets")).stream()).toList();
        for (String service : Manifests.SERVICES) {
            assertThat(targets).contains(service + ":" + ApplicationConfig.of(service).managementPort());
        }
        Map<String, Object> datasources = Manifests.yamlDocument(
                Manifests.ROOT.resolve("observability/grafana/provisioning/datasources/datasources.yml"));
        assertThat(Manifests.list(datasources.get("datasources"))).extracting(d -> Manifests.asMap(d).get("url"))
                .contains("http://prometheus:9090", "http://jaeger:16686");
        assertThat(Manifests.ROOT.resolve("observability/grafana/dashboards/batchmesh-overview.json")).isRegularFile();
    }
}
