package dev.batchmesh.deployment.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** RFC 6902 ops add, remove and replace with RFC 6901 pointers ({@code -} appends to a list). */
final class JsonPatch {

    private JsonPatch() {
    }

    static void apply(Map<String, Object> document, Map<String, Object> operation) {
        for (String key : operation.keySet()) {
            if (!List.of("op", "path", "value").contains(key)) {
                throw new IllegalStateException("JSON patch field '" + key + "' is not implemented: " + operation);
            }
        }
        String op = String.valueOf(operation.get("op"));
        List<String> tokens = pointer(String.valueOf(operation.get("path")));
        if (tokens.isEmpty()) {
            throw new IllegalStateException("JSON patch on the whole document is not implemented: " + operation);
        }
        Object parent = document;
        for (String token : tokens.subList(0, tokens.size() - 1)) {
            parent = child(parent, token, operation);
        }
        String last = tokens.getLast();
        switch (op) {
            case "add" -> {
                requireValue(operation);
                if (parent instanceof Map<?, ?>) {
                    Kustomize.asMap(parent).put(last, Kustomize.copy(operation.get("value")));
                } else {
                    List<Object> list = list(parent, operation);
                    int index = last.equals("-") ? list.size() : index(last, list.size() + 1, operation);
                    list.add(index, Kustomize.copy(operation.get("value")));
                }
            }
            case "remove" -> {
                if (parent instanceof Map<?, ?>) {
                    Map<String, Object> map = Kustomize.asMap(parent);
                    if (!map.containsKey(last)) {
                        throw missing(operation);
                    }
                    map.remove(last);
                } else {
                    List<Object> list = list(parent, operation);
                    list.remove(index(last, list.size(), operation));
                }
            }
            case "replace" -> {
                requireValue(operation);
                if (parent instanceof Map<?, ?>) {
                    Map<String, Object> map = Kustomize.asMap(parent);
                    if (!map.containsKey(last)) {
                        throw missing(operation);
                    }
                    map.put(last, Kustomize.copy(operation.get("value")));
                } else {
                    List<Object> list = list(parent, operation);
                    list.set(index(last, list.size(), operation), Kustomize.copy(operation.get("value")));
                }
            }
            default -> throw new IllegalStateException("JSON patch op '" + op + "' is not implemented");
        }
    }

    static List<String> pointer(String path) {
        if (path.isEmpty()) {
            return List.of();
        }
        if (!path.startsWith("/")) {
            throw new IllegalStateException("not a JSON pointer: " + path);
        }
        List<String> tokens = new ArrayList<>();
        for (String token : path.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    private static Object child(Object node, String token, Map<String, Object> operation) {
        Object child;
        if (node instanceof Map<?, ?> map) {
            child = map.get(token);
        } else {
            List<Object> list = list(node, operation);
            child = list.get(index(token, list.size(), operation));
        }
        if (!(child instanceof Map<?, ?>) && !(child instanceof List<?>)) {
            throw missing(operation);
        }
        return child;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node, Map<String, Object> operation) {
        if (!(node instanceof List<?>)) {
            throw missing(operation);
        }
        return (List<Object>) node;
    }

    private static int index(String token, int bound, Map<String, Object> operation) {
        if (!token.matches("0|[1-9][0-9]*") || Integer.parseInt(token) >= bound) {
            throw new IllegalStateException("JSON patch index " + token + " out of range: " + operation);
        }
        return Integer.parseInt(token);
    }

    private static void requireValue(Map<String, Object> operation) {
        if (!operation.containsKey("value")) {
            throw new IllegalStateException("JSON patch op needs a value: " + operation);
        }
    }

    private static IllegalStateException missing(Map<String, Object> operation) {
        return new IllegalStateException("JSON patch path does not exist: " + operation);
    }
}
