package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Every Deployment and StatefulSet that the kustomize bases and components deploy. */
class WorkloadManifestsTest {

    private static final List<Manifests.Doc> DOCS = Manifests.k8sResources();
    private static final List<Workload> WORKLOADS = Workload.all(DOCS);
    /** Longest graceful-shutdown phase of any service (spring.lifecycle.timeout-per-shutdown-phase). */
    private static final int SHUTDOWN_PHASE_SECONDS = 30;

    static Stream<Workload> workloads() {
        return WORKLOADS.stream();
    }

    @Test
    void shouldDeployEveryServiceFromItsOwnBaseFile() {
        for (String service : Manifests.SERVICES) {
            Path file = Manifests.K8S.resolve("base").resolve(service + ".yaml");
            List<Manifests.Doc> docs = Manifests.resources(file);
            assertThat(docs).as(file.toString())
                    .anySatisfy(doc -> assertThat(doc.resource().getKind()).isIn("Deployment", "StatefulSet"))
                    .anySatisfy(doc -> assertThat(doc.resource()).isInstanceOf(Service.class))
                    .anySatisfy(doc -> assertThat(doc.resource()).isInstanceOf(ServiceAccount.class))
                    .anySatisfy(doc -> assertThat(doc.resource()).isInstanceOf(PodDisruptionBudget.class))
                    .filteredOn(doc -> !(doc.resource() instanceof Secret))
                    .allSatisfy(doc -> assertThat(doc.resource().getMetadata().getName()).startsWith(service));
        }
        assertThat(WORKLOADS).extracting(Workload::app).containsAll(Manifests.SERVICES);
    }

    @Test
    void shouldParseEveryManifestWithoutUnknownFields() {
        assertThat(DOCS).isNotEmpty().allSatisfy(doc ->
                assertThat(UnknownFields.in(doc.resource())).as(doc.where()).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldProbeLivenessReadinessAndStartupOnTheManagementPort(Workload workload) {
        Container container = workload.container();
        int management = workload.containerPort("http-management");
        assertSoftly(softly -> {
            softly.assertThat(path(container.getLivenessProbe())).as("liveness").isEqualTo("/actuator/health/liveness");
            softly.assertThat(path(container.getReadinessProbe())).as("readiness").isEqualTo("/actuator/health/readiness");
            softly.assertThat(path(container.getStartupProbe())).as("startup").isEqualTo("/actuator/health/liveness");
            for (Probe probe : List.of(container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe())) {
                softly.assertThat(probePort(workload, probe)).as(workload.where() + " probe port").isEqualTo(management);
            }
            softly.assertThat(workload.env("MANAGEMENT_PORT")).as("MANAGEMENT_PORT")
                    .hasValueSatisfying(env -> assertThat(env.getValue()).isEqualTo(String.valueOf(management)));
            softly.assertThat(management).as("management port of application.yml")
                    .isEqualTo(ApplicationConfig.of(workload.app()).managementPort());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldRequestAndLimitCpuAndMemory(Workload workload) {
        var resources = workload.container().getResources();
        assertThat(resources.getRequests()).as(workload.where()).containsKeys("cpu", "memory");
        assertThat(resources.getLimits()).as(workload.where()).containsKeys("cpu", "memory");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldRunWithTheRestrictedSecurityContext(Workload workload) {
        PodSecurityContext pod = workload.template().getSpec().getSecurityContext();
        SecurityContext container = workload.container().getSecurityContext();
        assertSoftly(softly -> {
            softly.assertThat(pod.getRunAsNonRoot()).as("pod runAsNonRoot").isTrue();
            softly.assertThat(pod.getRunAsUser()).as("pod runAsUser (the image's uid)").isEqualTo(10001L);
            softly.assertThat(pod.getSeccompProfile().getType()).as("seccomp").isEqualTo("RuntimeDefault");
            softly.assertThat(container.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation").isFalse();
            softly.assertThat(container.getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem").isTrue();
            softly.assertThat(container.getRunAsNonRoot()).as("container runAsNonRoot").isTrue();
            softly.assertThat(container.getCapabilities().getDrop()).as("dropped capabilities").containsExactly("ALL");
            softly.assertThat(container.getCapabilities().getAdd()).as("added capabilities").isNullOrEmpty();
            softly.assertThat(container.getPrivileged()).as("privileged").isNotEqualTo(Boolean.TRUE);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldMountAnEmptyDirOnTmpBecauseTheRootFilesystemIsReadOnly(Workload workload) {
        String volume = workload.container().getVolumeMounts().stream()
                .filter(mount -> mount.getMountPath().equals("/tmp")).findFirst()
                .orElseThrow(() -> new AssertionError(workload.where() + " mounts nothing on /tmp")).getName();
        assertThat(workload.template().getSpec().getVolumes()).filteredOn(v -> v.getName().equals(volume))
                .singleElement().extracting(Volume::getEmptyDir).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldLabelPodsWithAppAndVersionForIstioAndKiali(Workload workload) {
        assertThat(workload.labels()).as(workload.where()).containsKeys("app", "version");
        assertThat(workload.labels().get("version")).matches("v\\d+");
        assertThat(workload.container().getName()).isEqualTo(workload.app());
        assertThat(workload.labels()).as("pod labels match the selector").containsAllEntriesOf(workload.selector());
        assertThat(workload.selector()).as("selector").containsKeys("app", "version");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldExposeThePodNameThroughTheDownwardApi(Workload workload) {
        assertThat(workload.env("POD_NAME")).as(workload.where()).hasValueSatisfying(env ->
                assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldDrainEndpointsBeforeShutdownAndOutlastTheShutdownPhase(Workload workload) {
        List<String> preStop = workload.container().getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).as(workload.where()).hasSize(2).first().isEqualTo("sleep");
        int sleep = Integer.parseInt(preStop.get(1));
        assertThat(sleep).isBetween(5, 20);

        ApplicationConfig config = ApplicationConfig.of(workload.app());
        long phase = config.shutdownPhaseVariable() == null ? config.shutdownPhase().toSeconds()
                : workload.env(config.shutdownPhaseVariable()).map(env -> ApplicationConfig.duration(env.getValue()).toSeconds())
                        .orElse(config.shutdownPhase().toSeconds());
        assertThat(workload.template().getSpec().getTerminationGracePeriodSeconds())
                .as("terminationGracePeriodSeconds of %s: preStop %d s + shutdown phase %d s + margin", workload.where(), sleep, phase)
                .isGreaterThanOrEqualTo(sleep + phase + 5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldHoldTheApplicationUntilTheSidecarIsReady(Workload workload) {
        String proxyConfig = workload.annotations().get("proxy.istio.io/config");
        assertThat(proxyConfig).as(workload.where()).isNotNull();
        Map<String, Object> config = Manifests.asMap(new Yaml(new SafeConstructor(new LoaderOptions())).load(proxyConfig));
        assertThat(config).containsEntry("holdApplicationUntilProxyStarts", true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldUseItsOwnServiceAccountWithoutAnApiToken(Workload workload) {
        assertThat(workload.template().getSpec().getServiceAccountName()).isEqualTo(workload.app());
        assertThat(workload.template().getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(Manifests.ofType(DOCS, ServiceAccount.class)).extracting(sa -> sa.getMetadata().getName())
                .contains(workload.app());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldPinTheImageTag(Workload workload) {
        String image = workload.container().getImage();
        assertThat(image).as(workload.where()).matches("[a-z0-9./-]+:[A-Za-z0-9._-]+").doesNotEndWith(":latest");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldBeCoveredByADisruptionBudget(Workload workload) {
        assertThat(Manifests.ofType(DOCS, PodDisruptionBudget.class))
                .as("PodDisruptionBudget selecting " + workload.where())
                .anySatisfy(pdb -> {
                    assertThat(workload.labels()).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
                    assertThat(pdb.getSpec().getMaxUnavailable()).isNotNull();
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void shouldReferenceOnlyConfigMapsAndSecretsThatExist(Workload workload) {
        Set<String> configMaps = names(ConfigMap.class);
        Set<String> secrets = new HashSet<>(names(Secret.class));
        secrets.addAll(StrimziSecrets.names(DOCS));
        Container container = workload.container();
        for (EnvFromSource source : container.getEnvFrom()) {
            if (source.getConfigMapRef() != null) {
                assertThat(configMaps).as(workload.where()).contains(source.getConfigMapRef().getName());
            }
            if (source.getSecretRef() != null) {
                assertThat(secrets).as(workload.where()).contains(source.getSecretRef().getName());
            }
        }
        for (EnvVar env : container.getEnv()) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                assertThat(secrets).as(workload.where() + " " + env.getName()).contains(env.getValueFrom().getSecretKeyRef().getName());
            }
        }
        for (Volume volume : workload.template().getSpec().getVolumes()) {
            if (volume.getSecret() != null) {
                assertThat(secrets).as(workload.where() + " volume " + volume.getName()).contains(volume.getSecret().getSecretName());
            }
        }
    }

    @Test
    void shouldKeepTheAggregatorStateInAVolumePerReplicaBehindAHeadlessService() {
        StatefulSet aggregator = Manifests.ofType(DOCS, StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().equals("aggregator-service")).findFirst().orElseThrow();
        Service headless = Manifests.ofType(DOCS, Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals(aggregator.getSpec().getServiceName())).findFirst()
                .orElseThrow(() -> new AssertionError("no Service " + aggregator.getSpec().getServiceName()));
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");

        String stateDir = configMapValue("aggregator-service", "AGGREGATOR_STATE_DIR");
        String claim = aggregator.getSpec().getVolumeClaimTemplates().getFirst().getMetadata().getName();
        Container container = aggregator.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getName()).isEqualTo(claim);
            assertThat(mount.getMountPath()).isEqualTo(stateDir);
        });

        // Kafka Streams' application.server: the pod's own DNS name under the headless Service.
        Workload workload = Workload.all(List.of(new Manifests.Doc(Path.of("aggregator"), aggregator))).getFirst();
        assertThat(workload.env("POD_IP")).hasValueSatisfying(env ->
                assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP"));
        assertThat(workload.env("AGGREGATOR_ADVERTISEDHOST")).hasValueSatisfying(env ->
                assertThat(env.getValue()).startsWith("$(POD_NAME)." + headless.getMetadata().getName() + "."));
    }

    @Test
    void shouldConfigureThePipelineWindowsOnceForEveryService() {
        assertThat(configMapValue("pipeline-config", "PIPELINE_WINDOW_SIZE")).isEqualTo("PT10S");
        assertThat(configMapValue("pipeline-config", "PIPELINE_GRACE")).isEqualTo("PT5M");
        assertThat(configMapValue("pipeline-config", "PIPELINE_RETENTION")).isEqualTo("PT24H");
        assertThat(WORKLOADS).allSatisfy(workload -> assertThat(configMapRefs(workload)).contains("pipeline-config"));
    }

    @Test
    void shouldGiveTheGatewayApiKeysFromASecretAndBackendUrisThatMatchTheServices() {
        Workload gateway = WORKLOADS.stream().filter(w -> w.app().equals("gateway-service")).findFirst().orElseThrow();
        assertThat(gateway.container().getEnvFrom()).filteredOn(source -> source.getSecretRef() != null)
                .extracting(source -> source.getSecretRef().getName()).containsExactly("gateway-api-keys");
        Secret keys = Manifests.ofType(DOCS, Secret.class).stream()
                .filter(s -> s.getMetadata().getName().equals("gateway-api-keys")).findFirst().orElseThrow();
        assertThat(keys.getStringData()).containsKeys("GATEWAY_APIKEYS_0_NAME", "GATEWAY_APIKEYS_0_SHA256", "GATEWAY_APIKEYS_0_TENANT");
        // keys are stored as digests only: no entry may hold a key in clear
        assertThat(keys.getStringData().keySet()).noneMatch(name -> name.endsWith("_KEY"));
        assertThat(keys.getStringData()).allSatisfy((name, value) -> {
            if (name.endsWith("_SHA256")) {
                assertThat(value).matches("[0-9a-fA-F]{64}");
            }
        });

        assertThat(configMapValue("gateway-service", "BATCHER_URI")).isEqualTo(serviceUri("batcher-service"));
        assertThat(configMapValue("gateway-service", "AGGREGATOR_URI")).isEqualTo(serviceUri("aggregator-service"));
    }

    @Test
    void shouldBypassTheSidecarForKafkaOnEveryKafkaClient() {
        Matcher bootstrap = Pattern.compile(".+:(\\d+)").matcher(configMapValue("pipeline-config", "KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(bootstrap.matches()).isTrue();
        List<Workload> kafkaClients = WORKLOADS.stream().filter(w -> !w.app().equals("gateway-service")).toList();
        assertThat(kafkaClients).hasSizeGreaterThanOrEqualTo(3).allSatisfy(client -> {
            String excluded = client.annotations().get("traffic.sidecar.istio.io/excludeOutboundPorts");
            assertThat(excluded).as(client.where()).isNotNull();
            assertThat(excluded.split(",")).as(client.where()).contains(bootstrap.group(1));
            assertThat(configMapRefs(client)).contains("kafka-client-config");
        });
    }

    private static List<String> configMapRefs(Workload workload) {
        return workload.container().getEnvFrom().stream().filter(source -> source.getConfigMapRef() != null)
                .map(source -> source.getConfigMapRef().getName()).toList();
    }

    private static String serviceUri(String service) {
        int port = Manifests.ofType(DOCS, Service.class).stream().filter(s -> s.getMetadata().getName().equals(service))
                .findFirst().orElseThrow().getSpec().getPorts().stream().filter(p -> p.getName().equals("http-api"))
                .findFirst().orElseThrow().getPort();
        return "http://" + service + ":" + port;
    }

    private static String configMapValue(String configMap, String key) {
        return Manifests.ofType(DOCS, ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(configMap))
                .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + configMap)).getData().get(key);
    }

    private static Set<String> names(Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type) {
        Set<String> names = new HashSet<>();
        Manifests.ofType(DOCS, type).forEach(resource -> names.add(resource.getMetadata().getName()));
        return names;
    }

    private static String path(Probe probe) {
        assertThat(probe).isNotNull();
        return probe.getHttpGet().getPath();
    }

    private static int probePort(Workload workload, Probe probe) {
        var port = probe.getHttpGet().getPort();
        return port.getIntVal() != null ? port.getIntVal() : workload.containerPort(port.getStrVal());
    }
}
