package dev.batchmesh.deployment;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A Deployment or StatefulSet, seen through what the invariants need: its pod template. */
record Workload(Manifests.Doc doc, String kind, String name, PodTemplateSpec template, Map<String, String> selector) {

    static List<Workload> all(List<Manifests.Doc> docs) {
        return docs.stream().flatMap(doc -> switch (doc.resource()) {
            case Deployment d -> Stream.of(new Workload(doc, "Deployment", d.getMetadata().getName(),
                    d.getSpec().getTemplate(), d.getSpec().getSelector().getMatchLabels()));
            case StatefulSet s -> Stream.of(new Workload(doc, "StatefulSet", s.getMetadata().getName(),
                    s.getSpec().getTemplate(), s.getSpec().getSelector().getMatchLabels()));
            default -> Stream.empty();
        }).toList();
    }

    /** The service this workload runs: its app label, which is also the container's name. */
    String app() {
        return labels().get("app");
    }

    Map<String, String> labels() {
        Map<String, String> labels = template.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    Map<String, String> annotations() {
        Map<String, String> annotations = template.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    Container container() {
        List<Container> containers = template.getSpec().getContainers();
        if (containers.size() != 1) {
            throw new IllegalStateException(doc.where() + " has " + containers.size() + " containers, expected one");
        }
        return containers.getFirst();
    }

    Optional<EnvVar> env(String name) {
        List<EnvVar> env = container().getEnv();
        return env == null ? Optional.empty() : env.stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    int containerPort(String portName) {
        return container().getPorts().stream().filter(p -> portName.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(doc.where() + " has no container port " + portName))
                .getContainerPort();
    }

    String where() {
        return doc.where();
    }
}
