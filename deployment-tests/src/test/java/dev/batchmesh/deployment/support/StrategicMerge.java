package dev.batchmesh.deployment.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The strategic merge patch of {@link Kustomize}: maps merge recursively, null deletes a key,
 * lists of maps that all carry a {@code name} merge by name, other lists are replaced. A merged
 * list holds the patch's elements first, in the patch's order, then the target's other elements in
 * theirs: what kustomize 5 does (checked against kubectl's). {@code $patch} and the other {@code $} directives are not supported.
 */
final class StrategicMerge {

    private StrategicMerge() {
    }

    static void merge(Map<String, Object> target, Map<String, Object> patch) {
        for (Map.Entry<String, Object> entry : patch.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            if (key.startsWith("$")) {
                throw new IllegalStateException("strategic merge directive " + key + " is not implemented");
            }
            Object current = target.get(key);
            if (value == null) {
                target.remove(key);
            } else if (value instanceof Map<?, ?> && current instanceof Map<?, ?>) {
                merge(Kustomize.asMap(current), Kustomize.asMap(value));
            } else if (value instanceof List<?> patchList && current instanceof List<?> currentList
                    && byName(patchList) && byName(currentList)) {
                target.put(key, mergeByName(currentList, patchList));
            } else {
                rejectDirectives(value);
                target.put(key, Kustomize.copy(value));
            }
        }
    }

    /** As kustomize orders them: the patch's elements in its order, then those only in the target. */
    private static List<Object> mergeByName(List<?> current, List<?> patch) {
        List<Object> merged = new ArrayList<>();
        List<Object> rest = new ArrayList<>(current);
        for (Object element : patch) {
            Map<String, Object> p = Kustomize.asMap(element);
            Object match = rest.stream().filter(e -> Objects.equals(Kustomize.asMap(e).get("name"), p.get("name"))).findFirst().orElse(null);
            if (match == null) {
                rejectDirectives(p);
                merged.add(Kustomize.copy(p));
            } else {
                rest.remove(match);
                merge(Kustomize.asMap(match), p);
                merged.add(match);
            }
        }
        merged.addAll(rest);
        return merged;
    }

    private static boolean byName(List<?> list) {
        return !list.isEmpty() && list.stream().allMatch(e -> e instanceof Map<?, ?> m && m.get("name") != null);
    }

    private static void rejectDirectives(Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getKey().toString().startsWith("$")) {
                    throw new IllegalStateException("strategic merge directive " + e.getKey() + " is not implemented");
                }
                rejectDirectives(e.getValue());
            }
        } else if (value instanceof List<?> list) {
            list.forEach(StrategicMerge::rejectDirectives);
        }
    }
}
