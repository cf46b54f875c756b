package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchmesh.deployment.support.Kustomize;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteDestination;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.fabric8.istio.api.api.security.v1beta1.RuleFrom;
import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.security.v1.AuthorizationPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders the base, each overlay and the base with each component with the Java renderer
 * ({@link Kustomize}: no binary needed) and checks what the cluster would receive: references
 * between resources, probes against the services' own application.yml, images, resources, and the
 * Istio policies of istio/ against the rendered workloads. Then the overlay-specific facts.
 */
class RenderedManifestsTest {

    private static final String NS = RenderTargets.NAMESPACE;
    private static final Pattern PRINCIPAL = Pattern.compile("cluster\\.local/ns/([^/]+)/sa/([^/]+)");
    private static final Map<String, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();
    private static final List<Manifests.Doc> ISTIO = Manifests.istioResources();
    /** The routes applied by default (istio/README.md's apply order): their subsets must exist everywhere. */
    private static final Set<String> DEFAULT_ROUTES = Set.of("virtual-service-all-v1.yaml", "gateway-all-ingress.yaml",
            "virtual-service-aggregator-test-fault.yaml");

    static Stream<String> targets() {
        return RenderTargets.all();
    }

    static List<HasMetadata> rendered(String target) {
        return RENDERED.computeIfAbsent(target, t -> Kustomize.build(RenderTargets.dir(t)).stream().map(Manifests::typed).toList());
    }

    private static List<Manifests.Doc> docs(String target) {
        Path dir = RenderTargets.dir(target);
        return rendered(target).stream().map(r -> new Manifests.Doc(dir, r)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void shouldRenderAllFourServicesIntoTheBatchmeshNamespace(String target) {
        List<HasMetadata> resources = rendered(target);
        assertThat(Workload.all(docs(target))).extracting(Workload::app).containsAll(Manifests.SERVICES);
        assertThat(resources).filteredOn(Namespace.class::isInstance).singleElement()
                .satisfies(ns -> assertThat(ns.getMetadata().getName()).isEqualTo(NS));
        assertThat(resources).filteredOn(r -> !(r instanceof Namespace)).allSatisfy(resource ->
                assertThat(resource.getMetadata().getNamespace()).as(id(resource)).isEqualTo(NS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void shouldRenderOnlyFieldsTheModelsKnow(String target) {
        assertThat(rendered(target)).allSatisfy(resource -> assertThat(UnknownFields.in(resource)).as(id(resource)).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void shouldSelectExistingPodsOnTheirNamedPortsFromEveryService(String target) {
        List<Workload> workloads = Workload.all(docs(target));
        for (Service service : ofType(target, Service.class)) {
            List<Workload> selected = workloads.stream()
                    .filter(w -> w.labels().entrySet().containsAll(service.getSpec().getSelector().entrySet())).toList();
            assertThat(selected).as("pods of Service " + service.getMetadata().getName()).isNotEmpty().allSatisfy(w -> {
                for (var port : service.getSpec().getPorts()) {
                    assertThat(w.containerPort(port.getTargetPort().getStrVal())).as(w.where() + " " + port.getName()).isEqualTo(port.getPort());
                }
            });
        }
        for (PodDisruptionBudget budget : ofType(target, PodDisruptionBudget.class)) {
            assertThat(workloads).as("pods of PDB " + budget.getMetadata().getName()).anySatisfy(w ->
                    assertThat(w.labels()).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels()));
        }
        for (Workload w : workloads) {
            assertThat(w.labels()).as(w.where() + " matches its own selector").containsAllEntriesOf(w.selector());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void shouldReferenceOnlyConfigMapsSecretsAndServiceAccountsThatExist(String target) {
        Set<String> configMaps = names(target, ConfigMap.class);
        Set<String> secrets = new HashSet<>(names(target, Secret.class));
        secrets.addAll(StrimziSecrets.names(docs(target)));
        if (target.equals("base")) {
            // the base brings no Kafka of its own: the TLS secrets come with whichever cluster is added
            secrets.addAll(StrimziSecrets.names(docs("base+strimzi-kafka")));
        }
        Set<String> accounts = names(target, ServiceAccount.class);
        for (Workload w : Workload.all(docs(target))) {
            assertThat(accounts).as(w.where() + " serviceAccountName").contains(w.template().getSpec().getServiceAccountName());
            for (Container container : containers(w)) {
                for (EnvFromSource source : container.getEnvFrom()) {
                    if (source.getConfigMapRef() != null) {
                        assertThat(configMaps).as(w.where()).contains(source.getConfigMapRef().getName());
                    }
                    if (source.getSecretRef() != null) {
                        assertThat(secrets).as(w.where()).contains(source.getSecretRef().getName());
                    }
                }
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        assertThat(secrets).as(w.where() + " " + env.getName()).contains(env.getValueFrom().getSecretKeyRef().getName());
                    }
                    if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                        assertThat(configMaps).as(w.where() + " " + env.getName()).contains(env.getValueFrom().getConfigMapKeyRef().getName());
                    }
                }
            }
            for (Volume volume : w.template().getSpec().getVolumes()) {
                if (volume.getSecret() != null) {
                    assertThat(secrets).as(w.where() + " volume " + volume.getName()).contains(volume.getSecret().getSecretName());
                }
                if (volume.getConfigMap() != null) {
                    assertThat(configMaps).as(w.where() + " volume " + volume.getName()).contains(volume.getConfigMap().getName());
                }
            }
        }
        for (GenericKubernetesResource auth : generic(target, "keda.sh", "TriggerAuthentication")) {
            for (Object ref : Manifests.list(auth.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec ? spec.get("secretTargetRef") : null)) {
                assertThat(secrets).as("TriggerAuthentication " + auth.getMetadata().getName()).contains(Manifests.asMap(ref).get("name").toString());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void shouldScaleOnlyWorkloadsThatExistWithAuthenticationThatExists(String target) {
        Set<String> deployments = names(target, Deployment.class);
        Set<String> authentications = generic(target, "keda.sh", "TriggerAuthentication").stream().map(a -> a.getMetadata().getName()).collect(Collectors.toSet());
        for (GenericKubernetesResource scaled : generic(target, "keda.sh", "ScaledObject")) {
            Map<String, Object> spec = Manifests.asMap(scaled.getAdditionalProperties().get("spec"));
            assertThat(deployments).as("ScaledObject target").contains(Manifests.map(spec, "scaleTargetRef").get("name").toString());
            for (Object trigger : Manifests.list(spec.get("triggers"))) {
                Map<String, Object> ref = Manifests.map(Manifests.asMap(trigger), "authenticationRef");
                if (!ref.isEmpty()) {
                    assertThat(authentications).contains(ref.get("name").toString());
                }
            }
        }
        for (HorizontalPodAutoscaler hpa : ofType(target, HorizontalPodAutoscaler.class)) {
            assertThat(deployments).as("HPA target").contains(hpa.getSpec().getScaleTargetRef().getName());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void shouldProbeTheActuatorPathsOnTheManagementPortTheServiceServes(String target) {
        for (Workload w : Workload.all(docs(target))) {
            Served served = Served.by(w.app());
            Container container = w.container();
            assertThat(container.getLivenessProbe()).as(w.where() + " liveness").isNotNull();
            assertThat(container.getReadinessProbe()).as(w.where() + " readiness").isNotNull();
            for (Probe probe : new Probe[] {container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe()}) {
                if (probe == null) {
                    continue;
                }
                assertThat(served.paths()).as(w.where() + " probe path").contains(probe.getHttpGet().getPath());
                var port = probe.getHttpGet().getPort();
                int number = port.getIntVal() != null ? port.getIntVal() : w.containerPort(port.getStrVal());
                assertThat(number).as(w.where() + " probe port = management.server.port of " + w.app()).isEqualTo(served.managementPort());
            }
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).endsWith("/readiness");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).endsWith("/liveness");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void shouldPinEveryImageAndSizeEveryContainer(String target) {
        for (Workload w : Workload.all(docs(target))) {
            for (Container container : containers(w)) {
                String image = container.getImage();
                String tag = image.substring(image.lastIndexOf('/') + 1);
                assertThat(tag).as(w.where() + " image " + image).contains(":").doesNotEndWith(":latest");
                assertThat(container.getResources().getRequests()).as(w.where() + " requests").containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as(w.where() + " limits").containsKeys("cpu", "memory");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void shouldRouteOnlyToRenderedServicesPortsAndSubsetsWithWeightsOfOneHundred(String target) {
        Set<Map<String, String>> podLabels = Workload.all(docs(target)).stream().map(Workload::labels).collect(Collectors.toSet());
        boolean canary = podLabels.stream().anyMatch(labels -> "v2".equals(labels.get("version")));
        for (DestinationRule rule : Manifests.ofType(ISTIO, DestinationRule.class)) {
            Service service = service(target, rule.getSpec().getHost());
            for (Subset subset : rule.getSpec().getSubsets()) {
                boolean exists = podLabels.stream().anyMatch(labels -> labels.entrySet().containsAll(service.getSpec().getSelector().entrySet())
                        && labels.entrySet().containsAll(subset.getLabels().entrySet()));
                if (canary || usedByDefaultRoutes(rule.getSpec().getHost(), subset.getName())) {
                    assertThat(exists).as("%s: pods of %s subset %s %s", target, rule.getSpec().getHost(), subset.getName(), subset.getLabels()).isTrue();
                }
            }
        }
        for (Manifests.Doc doc : ISTIO) {
            if (!(doc.resource() instanceof VirtualService vs)) {
                continue;
            }
            for (HTTPRoute route : vs.getSpec().getHttp()) {
                for (HTTPRouteDestination destination : route.getRoute()) {
                    Service service = service(target, destination.getDestination().getHost());
                    assertThat(service.getSpec().getPorts()).as(doc.where()).extracting(p -> (long) p.getPort())
                            .contains(destination.getDestination().getPort().getNumber());
                }
                if (route.getRoute().size() > 1) {
                    assertThat(route.getRoute().stream().mapToInt(HTTPRouteDestination::getWeight).sum()).as(doc.where()).isEqualTo(100);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void shouldAuthorizeOnlyServiceAccountsThatRenderedWorkloadsRunAs(String target) {
        List<Workload> workloads = Workload.all(docs(target));
        Set<String> used = workloads.stream().map(w -> w.template().getSpec().getServiceAccountName()).collect(Collectors.toSet());
        Set<String> accounts = names(target, ServiceAccount.class);
        List<AuthorizationPolicy> policies = Manifests.ofType(ISTIO, AuthorizationPolicy.class);
        assertThat(policies).isNotEmpty();
        for (AuthorizationPolicy policy : policies) {
            if (policy.getSpec().getSelector() != null) {
                assertThat(workloads).as("pods of AuthorizationPolicy " + policy.getMetadata().getName()).anySatisfy(w ->
                        assertThat(w.labels()).containsAllEntriesOf(policy.getSpec().getSelector().getMatchLabels()));
            }
            for (var rule : policy.getSpec().getRules() == null ? List.<io.fabric8.istio.api.api.security.v1beta1.Rule>of() : policy.getSpec().getRules()) {
                for (RuleFrom from : rule.getFrom()) {
                    for (String principal : from.getSource().getPrincipals()) {
                        Matcher m = PRINCIPAL.matcher(principal);
                        assertThat(m.matches()).as(principal).isTrue();
                        if (m.group(1).equals("istio-system")) {
                            continue;
                        }
                        assertThat(m.group(1)).as(principal + ": the rendered namespace").isEqualTo(NS);
                        assertThat(accounts).as(principal + ": a rendered ServiceAccount").contains(m.group(2));
                        assertThat(used).as(principal + ": the account of a rendered workload").contains(m.group(2));
                    }
                }
            }
        }
    }

    // ---- overlay-specific ----------------------------------------------------------------------

    @Test
    void shouldRunOneReplicaOfEverythingWithDevImagesInDev() {
        List<Workload> workloads = Workload.all(docs("overlays/dev"));
        assertThat(workloads).extracting(Workload::name).containsExactlyInAnyOrder(
                "gateway-service", "batcher-service", "batcher-service-v2", "processor-service", "aggregator-service");
        for (HasMetadata resource : rendered("overlays/dev")) {
            if (resource instanceof Deployment d) {
                assertThat(d.getSpec().getReplicas()).as(id(d)).isEqualTo(1);
            }
            if (resource instanceof StatefulSet s) {
                assertThat(s.getSpec().getReplicas()).as(id(s)).isEqualTo(1);
            }
        }
        for (Workload w : workloads) {
            String expected = w.name().equals("batcher-service-v2") ? "batchmesh/batcher-service:dev-canary" : "batchmesh/" + w.name() + ":dev";
            assertThat(w.container().getImage()).as(w.where()).isEqualTo(expected);
        }
        assertThat(generic("overlays/dev", "kafka.strimzi.io", "KafkaTopic")).isNotEmpty().allSatisfy(topic -> {
            Map<String, Object> spec = Manifests.asMap(topic.getAdditionalProperties().get("spec"));
            assertThat(spec.get("replicas")).as(topic.getMetadata().getName()).isEqualTo(1);
            assertThat(Manifests.map(spec, "config").get("min.insync.replicas")).isEqualTo(1);
        });
        assertThat(generic("overlays/dev", "keda.sh", "ScaledObject")).isEmpty();
        assertThat(ofType("overlays/dev", HorizontalPodAutoscaler.class)).isEmpty();
    }

    @Test
    void shouldRunThreeReplicasFromTheRegistryAndLeaveProcessorsToKedaInProd() {
        List<Workload> workloads = Workload.all(docs("overlays/prod"));
        assertThat(workloads).extracting(Workload::name).containsExactlyInAnyOrderElementsOf(Manifests.SERVICES);
        for (HasMetadata resource : rendered("overlays/prod")) {
            Integer replicas = resource instanceof Deployment d ? d.getSpec().getReplicas()
                    : resource instanceof StatefulSet s ? s.getSpec().getReplicas() : Integer.valueOf(-1);
            if (replicas != null && replicas == -1) {
                continue;
            }
            if (resource.getMetadata().getName().equals("processor-service")) {
                assertThat(replicas).as("the processors' replicas belong to KEDA").isNull();
            } else {
                assertThat(replicas).as(id(resource)).isEqualTo(3);
            }
        }
        for (Workload w : workloads) {
            assertThat(w.container().getImage()).as(w.where()).isEqualTo("registry.example.com/batchmesh/" + w.name() + ":0.1.0");
        }
        assertThat(generic("overlays/prod", "keda.sh", "ScaledObject")).singleElement().satisfies(scaled ->
                assertThat(Manifests.map(Manifests.asMap(scaled.getAdditionalProperties().get("spec")), "scaleTargetRef"))
                        .containsEntry("name", "processor-service"));
        assertThat(ofType("overlays/prod", HorizontalPodAutoscaler.class)).as("KEDA makes its own HPA").isEmpty();
        assertThat(generic("overlays/prod", "kafka.strimzi.io", "KafkaTopic")).isNotEmpty().allSatisfy(topic ->
                assertThat(Manifests.asMap(topic.getAdditionalProperties().get("spec")).get("replicas")).as(topic.getMetadata().getName()).isEqualTo(3));
    }

    @Test
    void shouldRenderTheBaseWithoutKafkaOrAutoscalers() {
        assertThat(rendered("base")).extracting(HasMetadata::getKind)
                .doesNotContain("Kafka", "KafkaTopic", "ScaledObject", "HorizontalPodAutoscaler");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** What a service's application.yml serves on its management port: the health probe groups. */
    record Served(int managementPort, Set<String> paths) {

        static Served by(String service) {
            Map<String, Object> yaml = Manifests.yamlDocument(Manifests.ROOT.resolve(Path.of(service, "src", "main", "resources", "application.yml")));
            Map<String, Object> management = Manifests.map(yaml, "management");
            Map<String, Object> web = Manifests.map(Manifests.map(management, "endpoints"), "web");
            String basePath = String.valueOf(web.getOrDefault("base-path", "/actuator"));
            assertThat(String.valueOf(Manifests.map(web, "exposure").get("include"))).as(service + " exposes health").contains("health");
            assertThat(Manifests.map(Manifests.map(Manifests.map(management, "endpoint"), "health"), "probes"))
                    .as(service + " management.endpoint.health.probes.enabled").containsEntry("enabled", true);
            return new Served(ApplicationConfig.of(service).managementPort(),
                    Set.of(basePath + "/health/liveness", basePath + "/health/readiness"));
        }
    }

    private static boolean usedByDefaultRoutes(String host, String subset) {
        return ISTIO.stream().filter(doc -> DEFAULT_ROUTES.contains(doc.file().getFileName().toString()))
                .map(Manifests.Doc::resource).filter(VirtualService.class::isInstance).map(VirtualService.class::cast)
                .flatMap(vs -> vs.getSpec().getHttp().stream()).flatMap(route -> route.getRoute().stream())
                .anyMatch(d -> host.equals(d.getDestination().getHost()) && subset.equals(d.getDestination().getSubset()));
    }

    private static List<Container> containers(Workload w) {
        List<Container> all = new ArrayList<>(w.template().getSpec().getContainers());
        all.addAll(w.template().getSpec().getInitContainers());
        return all;
    }

    private static Service service(String target, String host) {
        return ofType(target, Service.class).stream().filter(s -> s.getMetadata().getName().equals(host)).findFirst()
                .orElseThrow(() -> new AssertionError(target + " renders no Service " + host));
    }

    private static <T extends HasMetadata> List<T> ofType(String target, Class<T> type) {
        return Manifests.ofType(docs(target), type);
    }

    private static List<GenericKubernetesResource> generic(String target, String group, String kind) {
        return Manifests.generic(docs(target), group, kind);
    }

    private static Set<String> names(String target, Class<? extends HasMetadata> type) {
        return ofType(target, type).stream().map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
    }

    private static String id(HasMetadata resource) {
        return resource.getKind() + "/" + resource.getMetadata().getName();
    }
}
