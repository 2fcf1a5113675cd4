package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An RFC 6902 JSON Patch that turns one object into another, as an admission webhook returns it:
 * {@code [{"op":"add","path":"/spec/containers/0/securityContext","value":{"runAsUser":2}}]}.
 *
 * <p>Computed by walking both objects' JSON trees: a member only in the target is added, a member
 * only in the source is removed, a scalar that differs is replaced, arrays of equal length are
 * compared item by item and other arrays replaced whole. Paths are JSON Pointers (RFC 6901, with
 * {@code ~0} and {@code ~1} escapes).
 */
public final class JsonPatch {

    /** One operation: {@code add}, {@code remove} or {@code replace}; the value is null for remove. */
    public record Operation(String op, String path, JsonNode value) {
    }

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    public static final JsonPatch EMPTY = new JsonPatch(List.of());

    private final List<Operation> operations;

    private JsonPatch(List<Operation> operations) {
        this.operations = List.copyOf(operations);
    }

    /** The patch from one Kubernetes object to another. */
    public static JsonPatch diff(HasMetadata from, HasMetadata to) {
        return diff(tree(from), tree(to));
    }

    public static JsonPatch diff(JsonNode from, JsonNode to) {
        List<Operation> ops = new ArrayList<>();
        walk("", from, to, ops);
        return new JsonPatch(ops);
    }

    private static void walk(String path, JsonNode from, JsonNode to, List<Operation> ops) {
        if (from.equals(to)) {
            return;
        }
        if (from.isObject() && to.isObject()) {
            for (String name : from.propertyNames()) {
                if (!to.has(name)) {
                    ops.add(new Operation("remove", path + "/" + escape(name), null));
                }
            }
            for (Map.Entry<String, JsonNode> e : to.properties()) {
                String child = path + "/" + escape(e.getKey());
                JsonNode before = from.get(e.getKey());
                if (before == null) {
                    ops.add(new Operation("add", child, e.getValue().deepCopy()));
                } else {
                    walk(child, before, e.getValue(), ops);
                }
            }
            return;
        }
        if (from.isArray() && to.isArray() && from.size() == to.size()) {
            for (int i = 0; i < from.size(); i++) {
                walk(path + "/" + i, from.get(i), to.get(i), ops);
            }
            return;
        }
        ops.add(new Operation("replace", path, to.deepCopy()));
    }

    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    public List<Operation> operations() {
        return operations;
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }

    /** The patch as RFC 6902 JSON text. */
    public String toJson() {
        return MAPPER.writeValueAsString(toTree());
    }

    public ArrayNode toTree() {
        ArrayNode array = MAPPER.createArrayNode();
        for (Operation o : operations) {
            ObjectNode n = array.addObject();
            n.put("op", o.op());
            n.put("path", o.path());
            if (o.value() != null) {
                n.set("value", o.value());
            }
        }
        return array;
    }

    /** Applies the patch to a JSON tree (a copy is changed and returned), for checking a patch. */
    public JsonNode applyTo(JsonNode target) {
        JsonNode doc = target.deepCopy();
        for (Operation o : operations) {
            if (o.path().isEmpty()) {
                doc = o.value().deepCopy();
                continue;
            }
            List<String> tokens = tokens(o.path());
            JsonNode parent = doc;
            for (String t : tokens.subList(0, tokens.size() - 1)) {
                parent = parent.isArray() ? parent.get(Integer.parseInt(t)) : parent.get(t);
                if (parent == null) {
                    throw new IllegalArgumentException("no such path: " + o.path());
                }
            }
            String last = tokens.get(tokens.size() - 1);
            if (parent instanceof ObjectNode obj) {
                switch (o.op()) {
                    case "add", "replace" -> obj.set(last, o.value().deepCopy());
                    case "remove" -> obj.remove(last);
                    default -> throw new IllegalArgumentException("unknown op " + o.op());
                }
            } else if (parent instanceof ArrayNode arr) {
                int i = last.equals("-") ? arr.size() : Integer.parseInt(last);
                switch (o.op()) {
                    case "add" -> arr.insert(i, o.value().deepCopy());
                    case "replace" -> arr.set(i, o.value().deepCopy());
                    case "remove" -> arr.remove(i);
                    default -> throw new IllegalArgumentException("unknown op " + o.op());
                }
            } else {
                throw new IllegalArgumentException("no such path: " + o.path());
            }
        }
        return doc;
    }

    private static List<String> tokens(String pointer) {
        List<String> out = new ArrayList<>();
        for (String t : pointer.substring(1).split("/", -1)) {
            out.add(t.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    /** The object as a JSON tree, the way the patch sees it. */
    public static JsonNode tree(HasMetadata object) {
        return MAPPER.valueToTree(object);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
