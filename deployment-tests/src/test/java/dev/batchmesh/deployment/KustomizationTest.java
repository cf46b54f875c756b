package dev.batchmesh.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kustomize tree: base, components and overlays refer only to what exists, and combine sensibly. */
class KustomizationTest {

    static Stream<Path> kustomizations() {
        return Manifests.kustomizations().stream();
    }

    static Stream<Path> overlays() {
        return Manifests.kustomizations().stream().filter(k -> k.getParent().getParent().getFileName().toString().equals("overlays"));
    }

    static Stream<Path> components() {
        return Manifests.kustomizations().stream().filter(k -> k.getParent().getParent().getFileName().toString().equals("components"));
    }

    @Test
    void shouldHaveABaseTwoOverlaysAndTheDocumentedComponents() {
        assertThat(Manifests.K8S.resolve("base/kustomization.yaml")).isRegularFile();
        assertThat(overlays().map(k -> k.getParent().getFileName().toString())).contains("dev", "prod");
        assertThat(components().map(k -> k.getParent().getFileName().toString()))
                .contains("strimzi-kafka", "keda-autoscaling", "hpa-autoscaling", "batcher-canary");
        assertThat(Manifests.K8S.resolve("README.md")).isRegularFile();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kustomizations")
    void shouldReferenceOnlyFilesAndDirectoriesThatExist(Path kustomization) {
        Map<String, Object> k = Manifests.yamlDocument(kustomization);
        Path dir = kustomization.getParent();
        for (String resource : Manifests.strings(k.get("resources"))) {
            Path target = dir.resolve(resource).normalize();
            assertThat(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")))
                    .as("%s: resource %s", kustomization, resource).isTrue();
        }
        for (String component : Manifests.strings(k.get("components"))) {
            Path target = dir.resolve(component).normalize().resolve("kustomization.yaml");
            assertThat(target).as("%s: component %s", kustomization, component).isRegularFile();
            assertThat(Manifests.yamlDocument(target)).containsEntry("kind", "Component");
        }
        for (Object patch : Manifests.list(k.get("patches"))) {
            Map<String, Object> p = Manifests.asMap(patch);
            assertThat(p.containsKey("path") || p.containsKey("patch")).as("%s: patch %s", kustomization, p).isTrue();
            if (p.containsKey("path")) {
                assertThat(dir.resolve(p.get("path").toString())).as("%s: patch", kustomization).isRegularFile();
            }
        }
        assertThat(k).doesNotContainKeys("bases", "patchesStrategicMerge", "patchesJson6902", "commonLabels", "vars");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldBuildOverlaysOnTheBaseAndExistingComponents(Path overlay) {
        Map<String, Object> k = Manifests.yamlDocument(overlay);
        assertThat(Manifests.strings(k.get("resources"))).contains("../../base");
        assertThat(Manifests.strings(k.get("components"))).isNotEmpty()
                .allSatisfy(c -> assertThat(c).startsWith("../../components/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldNeverLetTwoAutoscalersOwnTheProcessors(Path overlay) {
        List<String> components = Manifests.strings(Manifests.yamlDocument(overlay).get("components"));
        assertThat(components.stream().filter(c -> c.endsWith("/keda-autoscaling") || c.endsWith("/hpa-autoscaling")))
                .as("KEDA creates an HPA of its own").hasSizeLessThanOrEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldSetAnImageTagForEveryServiceAndNeverLatest(Path overlay) {
        List<Object> images = Manifests.list(Manifests.yamlDocument(overlay).get("images"));
        assertThat(images).extracting(image -> Manifests.asMap(image).get("name").toString())
                .containsAll(Manifests.SERVICES.stream().map(s -> "batchmesh/" + s).toList());
        assertThat(images).allSatisfy(image -> assertThat(Manifests.asMap(image).get("newTag"))
                .isNotNull().asString().isNotEqualTo("latest"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void shouldPatchOnlyResourcesThatExist(Path overlay) {
        List<Manifests.Doc> deployed = Manifests.k8sResources();
        for (Object patch : Manifests.list(Manifests.yamlDocument(overlay).get("patches"))) {
            Object path = Manifests.asMap(patch).get("path");
            if (path == null) {
                continue;
            }
            for (Map<String, Object> document : Manifests.yamlDocuments(overlay.getParent().resolve(path.toString()))) {
                String kind = document.get("kind").toString();
                String name = Manifests.map(document, "metadata").get("name").toString();
                assertThat(deployed).as("%s patches %s/%s", path, kind, name).anySatisfy(doc -> {
                    assertThat(doc.resource().getKind()).isEqualTo(kind);
                    assertThat(doc.resource().getMetadata().getName()).isEqualTo(name);
                });
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("components")
    void shouldDocumentEveryComponent(Path component) {
        assertThat(component.getParent().resolve("README.md")).isRegularFile();
        assertThat(Manifests.read(component.getParent().resolve("README.md"))).startsWith("# Component: " + component.getParent().getFileName());
    }

    @Test
    void shouldNameEveryServicePortForIstioProtocolSelection() {
        List<Service> services = Manifests.ofType(Manifests.k8sResources(), Service.class);
        assertThat(services).isNotEmpty().allSatisfy(service -> assertThat(service.getSpec().getPorts()).allSatisfy(port -> {
            assertThat(port.getName()).as(service.getMetadata().getName()).matches("(http|tcp)-[a-z0-9-]+");
            assertThat(port.getTargetPort().getStrVal()).as("target port by name").isEqualTo(port.getName());
        }));
    }

    @Test
    void shouldSelectEveryServicesPodsByAppLabel() {
        List<Manifests.Doc> docs = Manifests.k8sResources();
        List<Workload> workloads = Workload.all(docs);
        for (Service service : Manifests.ofType(docs, Service.class)) {
            assertThat(service.getSpec().getSelector()).as(service.getMetadata().getName()).containsOnlyKeys("app");
            List<Workload> selected = workloads.stream().filter(w -> w.labels().entrySet().containsAll(service.getSpec().getSelector().entrySet())).toList();
            assertThat(selected).as(service.getMetadata().getName()).isNotEmpty().allSatisfy(w -> {
                for (var port : service.getSpec().getPorts()) {
                    assertThat(w.containerPort(port.getName())).isEqualTo(port.getPort());
                }
            });
        }
    }
}
