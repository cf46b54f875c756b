package dev.batchmesh.deployment;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the repository's deployment files. Kubernetes and Istio documents become fabric8's typed
 * models (Strimzi and KEDA kinds, which have no model here, {@link GenericKubernetesResource});
 * files without a Kubernetes kind (kustomization.yaml, docker-compose.yml) stay plain maps.
 */
final class Manifests {

    /** The repository root: set by the pom, so tests do not depend on the working directory. */
    static final Path ROOT = Path.of(System.getProperty("batchmesh.root", "..")).toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("k8s");
    static final Path ISTIO = ROOT.resolve("istio");

    static final List<String> SERVICES = List.of("gateway-service", "batcher-service", "processor-service", "aggregator-service");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** One document of one file. */
    record Doc(Path file, HasMetadata resource) {

        String where() {
            return ROOT.relativize(file) + " " + resource.getKind() + "/" + resource.getMetadata().getName();
        }
    }

    private Manifests() {
    }

    static List<Map<String, Object>> yamlDocuments(Path file) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try {
            List<Map<String, Object>> documents = new ArrayList<>();
            for (Object document : yaml.loadAll(Files.readString(file))) {
                if (document != null) {
                    documents.add(asMap(document));
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> yamlDocument(Path file) {
        List<Map<String, Object>> documents = yamlDocuments(file);
        if (documents.size() != 1) {
            throw new IllegalStateException(file + " holds " + documents.size() + " documents, expected one");
        }
        return documents.getFirst();
    }

    static List<Doc> resources(Path file) {
        return yamlDocuments(file).stream().map(document -> new Doc(file, typed(document))).toList();
    }

    static List<Doc> resources(List<Path> files) {
        return files.stream().flatMap(file -> resources(file).stream()).toList();
    }

    static HasMetadata typed(Map<String, Object> document) {
        return SERIALIZATION.unmarshal(SERIALIZATION.asJson(document), HasMetadata.class);
    }

    static List<HasMetadata> typedAll(String multiDocumentYaml) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<HasMetadata> resources = new ArrayList<>();
        for (Object document : yaml.loadAll(multiDocumentYaml)) {
            if (document != null) {
                resources.add(typed(asMap(document)));
            }
        }
        return resources;
    }

    /** Every kustomization.yaml under k8s/. */
    static List<Path> kustomizations() {
        return walk(K8S).filter(path -> path.getFileName().toString().equals("kustomization.yaml")).toList();
    }

    /**
     * The files that kustomizations list as resources: the manifests that get deployed. Patches are
     * partial documents and are checked separately.
     */
    static List<Path> resourceFiles() {
        List<Path> files = new ArrayList<>();
        for (Path kustomization : kustomizations()) {
            for (String entry : strings(yamlDocument(kustomization).get("resources"))) {
                Path target = kustomization.getParent().resolve(entry).normalize();
                if (Files.isRegularFile(target)) {
                    files.add(target);
                }
            }
        }
        return files.stream().distinct().sorted().toList();
    }

    static List<Doc> k8sResources() {
        return resources(resourceFiles());
    }

    static List<Path> istioFiles() {
        return walk(ISTIO).filter(Manifests::isYaml).toList();
    }

    static List<Doc> istioResources() {
        return resources(istioFiles());
    }

    static <T extends HasMetadata> List<T> ofType(List<Doc> docs, Class<T> type) {
        return docs.stream().map(Doc::resource).filter(type::isInstance).map(type::cast).toList();
    }

    static List<GenericKubernetesResource> generic(List<Doc> docs, String apiGroup, String kind) {
        return docs.stream().map(Doc::resource)
                .filter(resource -> resource instanceof GenericKubernetesResource)
                .map(GenericKubernetesResource.class::cast)
                .filter(resource -> kind.equals(resource.getKind()) && resource.getApiVersion().startsWith(apiGroup + "/"))
                .toList();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Path> walk(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isYaml(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalStateException("expected a mapping, found " + value);
        }
        return (Map<String, Object>) map;
    }

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        return value == null ? Map.of() : asMap(value);
    }

    static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalStateException("expected a list, found " + value);
        }
        return list.stream().map(Objects::toString).toList();
    }

    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalStateException("expected a list, found " + value);
        }
        return List.copyOf(list);
    }
}
