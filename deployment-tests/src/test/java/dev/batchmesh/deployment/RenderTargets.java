package dev.batchmesh.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * What gets rendered: the base, each overlay, and the base with each component. A component is
 * rendered through a throw-away kustomization beside the module's classes (kustomize accepts only
 * relative paths) that adds strimzi-kafka too, which the others build on, and sets the namespace
 * as the overlays do.
 */
final class RenderTargets {

    static final String NAMESPACE = "batchmesh";

    private RenderTargets() {
    }

    static Stream<String> all() {
        List<String> targets = new ArrayList<>();
        targets.add("base");
        KustomizationTest.overlays().forEach(overlay -> targets.add(Manifests.K8S.relativize(overlay.getParent()).toString()));
        KustomizationTest.components().forEach(component -> targets.add("base+" + component.getParent().getFileName()));
        return targets.stream();
    }

    static Path dir(String target) {
        return target.startsWith("base+") ? withComponent(target.substring("base+".length())) : Manifests.K8S.resolve(target);
    }

    private static Path withComponent(String component) {
        try {
            Path dir = Manifests.ROOT.resolve("deployment-tests/target/kustomize/base-" + component);
            Files.createDirectories(dir);
            Path k8s = dir.relativize(Manifests.K8S);
            StringBuilder components = new StringBuilder();
            for (String c : new LinkedHashSet<>(List.of("strimzi-kafka", component))) {
                components.append("  - ").append(k8s).append("/components/").append(c).append('\n');
            }
            Files.writeString(dir.resolve("kustomization.yaml"), """
                    apiVersion: kustomize.config.k8s.io/v1beta1
                    kind: Kustomization
                    namespace: %s
                    resources:
                      - %s/base
                    components:
                    %s""".formatted(NAMESPACE, k8s, components));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
