package dev.batchmesh.deployment.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A kustomize renderer for exactly the subset of kustomize that k8s/ uses, so the overlays can be
 * rendered and checked on machines without a kustomize or kubectl binary. Where a binary is on
 * the PATH, {@code KustomizeRenderTest} checks this renderer's output against the real one.
 *
 * <p>Semantics, applied in kustomize's own order:
 * <ol>
 *   <li>{@code resources}: YAML files (every document) and directories holding a
 *       {@code kustomization.yaml} (built recursively, with all of their own transformers);</li>
 *   <li>{@code components}: directories whose {@code kustomization.yaml} has kind {@code Component},
 *       applied in order after the resources: the component's resources join the accumulated
 *       ones, then its transformers run over all of them;</li>
 *   <li>{@code patches}, in order: {@code path:} or inline {@code patch:}. A patch that parses to a
 *       list is a JSON 6902 patch (ops {@code add}, {@code remove}, {@code replace}; JSON Pointer
 *       paths with {@code ~0}/{@code ~1} escapes and {@code -} to append) and needs a
 *       {@code target:}. Otherwise each document is a strategic merge patch: maps merge
 *       recursively, a null value deletes the key, lists whose elements (in both lists) are maps
 *       with a {@code name} key merge by name (containers, env, volumes...), the patch's elements
 *       first in its order, then the target's others in theirs, as kustomize orders them; every
 *       other list is replaced. Without a target a strategic merge patch applies to
 *       the one resource with its apiVersion, kind and name. {@code target:} selects on
 *       {@code group}, {@code version}, {@code kind}, {@code name} (regular expressions, anchored)
 *       and {@code namespace}, any of them absent; a target or patch that matches nothing fails;</li>
 *   <li>{@code namespace}: set on every resource except the cluster-scoped kinds;</li>
 *   <li>{@code labels}: {@code pairs} added to {@code metadata.labels} of every resource (only
 *       {@code includeSelectors} and {@code includeTemplates} false or absent are supported);</li>
 *   <li>{@code replicas}: {@code spec.replicas} of the Deployments and StatefulSets of that name;</li>
 *   <li>{@code images}: {@code newName}/{@code newTag} for every {@code containers[]} and
 *       {@code initContainers[]} image, anywhere in a resource, whose name equals {@code name}.</li>
 * </ol>
 * Anything else (another kustomization field, a {@code $patch} directive, a label or annotation
 * selector, an image digest, another JSON patch op, two resources with one id) fails loudly, so a
 * manifest change that this renderer does not understand cannot render silently wrong.
 */
public final class Kustomize {

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "components", "namespace",
            "labels", "replicas", "images", "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService", "ClusterScaledObject",
            "ClusterTriggerAuthentication");
    /** Kinds whose namespace kustomize also writes into other fields (subjects, webhooks): not supported. */
    private static final Set<String> NAMESPACE_REFERENCING = Set.of("RoleBinding", "ClusterRoleBinding",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService");

    private Kustomize() {
    }

    /** Renders the kustomization in {@code dir}, like {@code kustomize build dir}. */
    public static List<Map<String, Object>> build(Path dir) {
        Map<String, Object> k = kustomization(dir, "Kustomization");
        List<Map<String, Object>> resources = new ArrayList<>();
        accumulate(dir, k, resources);
        return resources;
    }

    private static void accumulate(Path dir, Map<String, Object> k, List<Map<String, Object>> resources) {
        for (String entry : strings(k, "resources")) {
            Path target = dir.resolve(entry).normalize();
            if (Files.isDirectory(target)) {
                resources.addAll(build(target));
            } else if (Files.isRegularFile(target)) {
                resources.addAll(documents(target));
            } else {
                throw fail(dir, "resource " + entry + " does not exist");
            }
            unique(dir, resources);
        }
        for (String entry : strings(k, "components")) {
            Path component = dir.resolve(entry).normalize();
            accumulate(component, kustomization(component, "Component"), resources);
            unique(component, resources);
        }
        for (Object patch : list(k.get("patches"))) {
            patch(dir, asMap(patch), resources);
        }
        if (k.get("namespace") != null) {
            setNamespace(dir, k.get("namespace").toString(), resources);
        }
        for (Object label : list(k.get("labels"))) {
            label(dir, asMap(label), resources);
        }
        for (Object replica : list(k.get("replicas"))) {
            replicas(dir, asMap(replica), resources);
        }
        for (Object image : list(k.get("images"))) {
            image(dir, asMap(image), resources);
        }
    }

    private static Map<String, Object> kustomization(Path dir, String kind) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw fail(dir, "no kustomization.yaml");
        }
        List<Map<String, Object>> docs = documents(file);
        if (docs.size() != 1) {
            throw fail(dir, "kustomization.yaml holds " + docs.size() + " documents");
        }
        Map<String, Object> k = docs.getFirst();
        if (!kind.equals(k.getOrDefault("kind", "Kustomization"))) {
            throw fail(dir, "expected kind " + kind + ", found " + k.get("kind"));
        }
        for (String field : k.keySet()) {
            if (!FIELDS.contains(field)) {
                throw fail(dir, "kustomization field '" + field + "' is not implemented by this renderer");
            }
        }
        return k;
    }

    // ---- patches -------------------------------------------------------------------------------

    private static void patch(Path dir, Map<String, Object> entry, List<Map<String, Object>> resources) {
        only(dir, entry, "patches entry", "path", "patch", "target");
        if (entry.containsKey("path") == entry.containsKey("patch")) {
            throw fail(dir, "a patch needs exactly one of path and patch: " + entry);
        }
        List<Object> docs = new ArrayList<>();
        Yaml yaml = yaml();
        String text = entry.containsKey("path") ? read(dir.resolve(entry.get("path").toString())) : entry.get("patch").toString();
        for (Object doc : yaml.loadAll(text)) {
            if (doc != null) {
                docs.add(doc);
            }
        }
        Map<String, Object> target = entry.get("target") == null ? null : asMap(entry.get("target"));
        if (docs.size() == 1 && docs.getFirst() instanceof List<?> ops) {
            if (target == null) {
                throw fail(dir, "a JSON 6902 patch needs a target");
            }
            for (Map<String, Object> resource : selected(dir, target, resources)) {
                for (Object op : ops) {
                    JsonPatch.apply(resource, asMap(op));
                }
            }
            return;
        }
        for (Object doc : docs) {
            Map<String, Object> patch = asMap(doc);
            List<Map<String, Object>> matches = target != null ? selected(dir, target, resources)
                    : resources.stream().filter(r -> sameId(r, patch)).toList();
            if (target == null && matches.size() != 1) {
                throw fail(dir, "patch for " + id(patch) + " matches " + matches.size() + " resources, expected one");
            }
            for (Map<String, Object> resource : matches) {
                StrategicMerge.merge(resource, patch);
            }
        }
    }

    private static List<Map<String, Object>> selected(Path dir, Map<String, Object> target, List<Map<String, Object>> resources) {
        only(dir, target, "target", "group", "version", "kind", "name", "namespace");
        List<Map<String, Object>> matches = resources.stream().filter(r -> {
            String apiVersion = Objects.toString(r.get("apiVersion"), "");
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            String version = apiVersion.substring(slash + 1);
            return matches(target.get("group"), group) && matches(target.get("version"), version)
                    && matches(target.get("kind"), r.get("kind")) && matches(target.get("name"), metadata(r).get("name"))
                    && matches(target.get("namespace"), metadata(r).get("namespace"));
        }).toList();
        if (matches.isEmpty()) {
            throw fail(dir, "patch target " + target + " matches no resource");
        }
        return matches;
    }

    private static boolean matches(Object selector, Object value) {
        return selector == null || value != null && Pattern.matches(selector.toString(), value.toString());
    }

    // ---- namespace, labels, replicas, images ---------------------------------------------------

    private static void setNamespace(Path dir, String namespace, List<Map<String, Object>> resources) {
        for (Map<String, Object> resource : resources) {
            String kind = Objects.toString(resource.get("kind"));
            if (NAMESPACE_REFERENCING.contains(kind)) {
                throw fail(dir, "namespace of " + kind + " (it references namespaces) is not implemented");
            }
            if (!CLUSTER_SCOPED.contains(kind)) {
                metadata(resource).put("namespace", namespace);
            }
        }
        unique(dir, resources);
    }

    private static void label(Path dir, Map<String, Object> label, List<Map<String, Object>> resources) {
        only(dir, label, "labels entry", "pairs", "includeSelectors", "includeTemplates");
        for (String flag : List.of("includeSelectors", "includeTemplates")) {
            if (Boolean.TRUE.equals(label.get(flag))) {
                throw fail(dir, "labels with " + flag + ": true are not implemented");
            }
        }
        Map<String, Object> pairs = asMap(label.get("pairs"));
        for (Map<String, Object> resource : resources) {
            Map<String, Object> metadata = metadata(resource);
            Map<String, Object> labels = metadata.get("labels") == null ? new LinkedHashMap<>() : asMap(metadata.get("labels"));
            pairs.forEach((key, value) -> labels.put(key, value.toString()));
            metadata.put("labels", labels);
        }
    }

    private static void replicas(Path dir, Map<String, Object> replica, List<Map<String, Object>> resources) {
        only(dir, replica, "replicas entry", "name", "count");
        Object name = replica.get("name");
        List<Map<String, Object>> matches = resources.stream()
                .filter(r -> Set.of("Deployment", "StatefulSet").contains(r.get("kind")) && Objects.equals(metadata(r).get("name"), name))
                .toList();
        if (matches.isEmpty()) {
            throw fail(dir, "replicas: no Deployment or StatefulSet named " + name);
        }
        for (Map<String, Object> resource : matches) {
            asMap(resource.computeIfAbsent("spec", key -> new LinkedHashMap<>())).put("replicas", replica.get("count"));
        }
    }

    private static void image(Path dir, Map<String, Object> image, List<Map<String, Object>> resources) {
        only(dir, image, "images entry", "name", "newName", "newTag");
        for (Map<String, Object> resource : resources) {
            retag(resource, image);
        }
    }

    private static void retag(Object node, Map<String, Object> image) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if ((entry.getKey().equals("containers") || entry.getKey().equals("initContainers")) && entry.getValue() instanceof List<?> containers) {
                    for (Object container : containers) {
                        Map<String, Object> c = asMap(container);
                        if (c.get("image") != null) {
                            c.put("image", Images.retag(c.get("image").toString(), image));
                        }
                    }
                }
                retag(entry.getValue(), image);
            }
        } else if (node instanceof List<?> list) {
            list.forEach(element -> retag(element, image));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static boolean sameId(Map<String, Object> resource, Map<String, Object> patch) {
        Object namespace = metadata(patch).get("namespace");
        return Objects.equals(resource.get("apiVersion"), patch.get("apiVersion")) && Objects.equals(resource.get("kind"), patch.get("kind"))
                && Objects.equals(metadata(resource).get("name"), metadata(patch).get("name"))
                && (namespace == null || namespace.equals(metadata(resource).get("namespace")));
    }

    private static String id(Map<String, Object> resource) {
        return resource.get("apiVersion") + " " + resource.get("kind") + " " + metadata(resource).get("namespace") + "/" + metadata(resource).get("name");
    }

    private static void unique(Path dir, List<Map<String, Object>> resources) {
        Set<String> ids = new java.util.HashSet<>();
        for (Map<String, Object> resource : resources) {
            if (!ids.add(id(resource))) {
                throw fail(dir, "two resources with the id " + id(resource));
            }
        }
    }

    private static void only(Path dir, Map<String, Object> map, String what, String... allowed) {
        for (String key : map.keySet()) {
            if (!List.of(allowed).contains(key)) {
                throw fail(dir, what + " field '" + key + "' is not implemented by this renderer");
            }
        }
    }

    static Map<String, Object> metadata(Map<String, Object> resource) {
        Object metadata = resource.get("metadata");
        if (metadata == null) {
            metadata = new LinkedHashMap<String, Object>();
            resource.put("metadata", metadata);
        }
        return asMap(metadata);
    }

    private static List<Map<String, Object>> documents(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(read(file))) {
            if (doc != null) {
                docs.add(asMap(doc));
            }
        }
        return docs;
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(Map<String, Object> k, String key) {
        return list(k.get(key)).stream().map(Object::toString).toList();
    }

    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalStateException("expected a list, found " + value);
        }
        return new ArrayList<>(list);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalStateException("expected a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, v) -> copy.put(key, copy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(copy(v)));
            return copy;
        }
        return value;
    }

    static IllegalStateException fail(Path dir, String message) {
        return new IllegalStateException("kustomize " + dir + ": " + message);
    }
}
