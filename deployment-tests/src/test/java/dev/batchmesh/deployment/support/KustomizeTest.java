package dev.batchmesh.deployment.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderer's rules on small inputs, each against what kustomize does. */
class KustomizeTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              template:
                spec:
                  initContainers:
                    - name: init
                      image: example/init
                  containers:
                    - name: web
                      image: example/web:1.0
                      args: ["--a", "--b"]
                      env:
                        - name: A
                          value: "1"
                        - name: B
                          value: "2"
                      resources:
                        limits:
                          cpu: "1"
                          memory: 1Gi
                    - name: side
                      image: registry.local:5000/example/side:2@sha256:abc
            """;

    @TempDir
    Path dir;

    @Test
    void shouldMergeMapsRecursivelyAndListsOfNamedMapsByName() throws IOException {
        write("deployment.yaml", DEPLOYMENT);
        write("patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      containers:
                        - name: web
                          env:
                            - name: B
                              value: "20"
                            - name: C
                              value: "3"
                          resources:
                            requests:
                              cpu: 50m
                        - name: extra
                          image: example/extra:1
                """);
        kustomization("resources: [deployment.yaml]\npatches:\n  - path: patch.yaml\n");

        Map<String, Object> web = container(single(), "web");

        assertThat(web.get("env")).as("patch elements first, as kustomize orders them").isEqualTo(List.of(
                Map.of("name", "B", "value", "20"), Map.of("name", "C", "value", "3"), Map.of("name", "A", "value", "1")));
        assertThat(web.get("resources")).isEqualTo(Map.of("limits", Map.of("cpu", "1", "memory", "1Gi"), "requests", Map.of("cpu", "50m")));
        assertThat(web.get("image")).as("untouched keys stay").isEqualTo("example/web:1.0");
        assertThat(containers(single())).extracting(c -> c.get("name")).containsExactly("web", "extra", "side");
    }

    @Test
    void shouldReplaceListsWithoutNamesAndDeleteKeysSetToNull() throws IOException {
        write("deployment.yaml", DEPLOYMENT);
        kustomization("""
                resources: [deployment.yaml]
                patches:
                  - patch: |-
                      apiVersion: apps/v1
                      kind: Deployment
                      metadata:
                        name: web
                      spec:
                        replicas: null
                        template:
                          spec:
                            containers:
                              - name: web
                                args: ["--c"]
                """);

        Map<String, Object> deployment = single();

        assertThat(map(deployment, "spec")).doesNotContainKey("replicas");
        assertThat(container(deployment, "web").get("args")).isEqualTo(List.of("--c"));
    }

    @Test
    void shouldApplyJsonPatchOpsToEveryTargetMatch() throws IOException {
        write("deployment.yaml", DEPLOYMENT + """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: other
                spec:
                  replicas: 1
                """);
        kustomization("""
                resources: [deployment.yaml]
                patches:
                  - target: {group: apps, version: v1, kind: Deployment, name: web}
                    patch: |-
                      - op: add
                        path: /spec/template/spec/containers/0/args/-
                        value: --z
                      - op: add
                        path: /spec/template/spec/containers/0/args/0
                        value: --first
                      - op: replace
                        path: /spec/template/spec/containers/0/resources/limits/cpu
                        value: "2"
                      - op: add
                        path: /metadata/annotations
                        value: {example.com~1x: "1"}
                      - op: add
                        path: /metadata/annotations/a~1b~0c
                        value: "2"
                      - op: remove
                        path: /spec/template/spec/containers/1
                  - target: {kind: Deployment}
                    patch: |-
                      - op: remove
                        path: /spec/replicas
                """);

        List<Map<String, Object>> rendered = Kustomize.build(dir);

        Map<String, Object> web = rendered.getFirst();
        assertThat(container(web, "web").get("args")).isEqualTo(List.of("--first", "--a", "--b", "--z"));
        assertThat(map(map(container(web, "web"), "resources"), "limits")).containsEntry("cpu", "2");
        assertThat(map(web, "metadata").get("annotations")).isEqualTo(Map.of("example.com~1x", "1", "a/b~c", "2"));
        assertThat(containers(web)).hasSize(1);
        assertThat(rendered).allSatisfy(d -> assertThat(map(d, "spec")).doesNotContainKey("replicas"));
    }

    @Test
    void shouldRejectAJsonPatchOnAPathThatDoesNotExist() throws IOException {
        write("deployment.yaml", DEPLOYMENT);
        kustomization("""
                resources: [deployment.yaml]
                patches:
                  - target: {kind: Deployment}
                    patch: |-
                      - op: replace
                        path: /spec/paused
                        value: true
                """);

        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("does not exist");
    }

    @Test
    void shouldSetReplicasImagesNamespaceAndLabels() throws IOException {
        write("deployment.yaml", DEPLOYMENT);
        write("namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n");
        kustomization("""
                namespace: shop
                labels:
                  - pairs: {app.kubernetes.io/part-of: shop}
                resources: [namespace.yaml, deployment.yaml]
                replicas:
                  - name: web
                    count: 5
                images:
                  - name: example/web
                    newTag: "2.0"
                  - name: example/init
                    newName: registry.local/init
                    newTag: "3"
                  - name: registry.local:5000/example/side
                    newTag: "4"
                """);

        List<Map<String, Object>> rendered = Kustomize.build(dir);

        Map<String, Object> namespace = rendered.getFirst();
        Map<String, Object> web = rendered.get(1);
        assertThat(map(namespace, "metadata")).doesNotContainKey("namespace").containsEntry("name", "shop");
        assertThat(map(web, "metadata")).containsEntry("namespace", "shop")
                .containsEntry("labels", Map.of("app.kubernetes.io/part-of", "shop"));
        assertThat(map(map(map(web, "spec"), "template"), "metadata")).as("labels stay off templates").isEmpty();
        assertThat(map(web, "spec")).containsEntry("replicas", 5);
        assertThat(containers(web)).extracting(c -> c.get("image"))
                .containsExactly("example/web:2.0", "registry.local:5000/example/side:4");
        assertThat(Kustomize.asMap(((List<?>) map(map(map(web, "spec"), "template"), "spec").get("initContainers")).getFirst()))
                .containsEntry("image", "registry.local/init:3");
    }

    @Test
    void shouldApplyComponentsAfterResourcesInOrderAndBuildNestedKustomizations() throws IOException {
        write("base/deployment.yaml", DEPLOYMENT);
        write("base/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: base\nresources: [deployment.yaml]\n");
        write("first/kustomization.yaml", """
                apiVersion: kustomize.config.k8s.io/v1alpha1
                kind: Component
                patches:
                  - target: {kind: Deployment, name: web}
                    patch: |-
                      - op: replace
                        path: /spec/replicas
                        value: 7
                """);
        write("second/kustomization.yaml", """
                apiVersion: kustomize.config.k8s.io/v1alpha1
                kind: Component
                patches:
                  - target: {kind: Deployment, name: we.*}
                    patch: |-
                      - op: remove
                        path: /spec/replicas
                """);
        kustomization("resources: [base]\ncomponents: [first, second]\n");

        Map<String, Object> web = single();

        assertThat(map(web, "metadata")).containsEntry("namespace", "base");
        assertThat(map(web, "spec")).as("second ran after first").doesNotContainKey("replicas");
    }

    @Test
    void shouldFailLoudlyOnWhatItDoesNotImplement() throws IOException {
        write("deployment.yaml", DEPLOYMENT);
        kustomization("resources: [deployment.yaml]\ncommonLabels: {a: b}\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("'commonLabels' is not implemented");

        kustomization("resources: [deployment.yaml]\nimages:\n  - name: example/web\n    digest: sha256:abc\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("'digest' is not implemented");

        kustomization("resources: [deployment.yaml]\nlabels:\n  - pairs: {a: b}\n    includeSelectors: true\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("includeSelectors");

        kustomization("resources: [deployment.yaml]\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web}\n      $patch: delete\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("$patch");

        kustomization("resources: [deployment.yaml]\npatches:\n  - target: {kind: Deployment}\n    patch: |-\n      - op: move\n        from: /spec\n        path: /x\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("not implemented");

        kustomization("resources: [deployment.yaml]\npatches:\n  - target: {kind: StatefulSet}\n    patch: |-\n      - op: remove\n        path: /spec\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("matches no resource");

        kustomization("resources: [deployment.yaml]\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: nowhere}\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("matches 0 resources");

        kustomization("resources: [deployment.yaml, deployment.yaml]\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("two resources");

        kustomization("resources: [deployment.yaml]\ncomponents: [.]\n");
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("expected kind Component");
    }

    private void kustomization(String body) throws IOException {
        write("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" + body);
    }

    private void write(String file, String content) throws IOException {
        Path path = dir.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }

    private Map<String, Object> single() {
        List<Map<String, Object>> rendered = Kustomize.build(dir);
        assertThat(rendered).hasSize(1);
        return rendered.getFirst();
    }

    private static List<Map<String, Object>> containers(Map<String, Object> deployment) {
        return ((List<?>) map(map(map(deployment, "spec"), "template"), "spec").get("containers")).stream().map(Kustomize::asMap).toList();
    }

    private static Map<String, Object> container(Map<String, Object> deployment, String name) {
        return containers(deployment).stream().filter(c -> name.equals(c.get("name"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? Map.of() : Kustomize.asMap(value);
    }

}
