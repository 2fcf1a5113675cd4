package io.kubeward.manifest;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns a composed YAML node into plain maps, lists and scalars, and records the line of every
 * field by path ({@code spec.containers[0].ports[0].hostPort}). Resolves merge keys ({@code <<})
 * as Kubernetes' YAML reader does, and stops at a budget of values and depth so that aliases
 * cannot blow the document up.
 */
final class YamlTree {

    static final class TooLargeException extends RuntimeException {
        TooLargeException(String message) {
            super(message);
        }
    }

    static final class DuplicateKeyException extends RuntimeException {
        final String path;
        final int line;

        DuplicateKeyException(String message, String path, int line) {
            super(message);
            this.path = path;
            this.line = line;
        }
    }

    private final int lineOffset;
    private final int maxValues;
    private final int maxDepth;
    private final Map<String, Integer> lines = new LinkedHashMap<>();
    private final Map<String, Boolean> yaml11Booleans = new java.util.HashMap<>();
    private final Set<Node> inProgress = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private int values;

    YamlTree(int lineOffset, int maxValues, int maxDepth) {
        this.lineOffset = lineOffset;
        this.maxValues = maxValues;
        this.maxDepth = maxDepth;
    }

    Map<String, Integer> lines() {
        return lines;
    }

    /**
     * The paths of plain scalars that YAML 1.1 reads as booleans ({@code yes}, {@code off}, …) but the
     * core schema keeps as strings, with their boolean value. Kubernetes' YAML reader takes them as
     * booleans, so a boolean field may hold one.
     */
    Map<String, Boolean> yaml11Booleans() {
        return yaml11Booleans;
    }

    private static final Map<String, Boolean> YAML11_BOOLEAN_WORDS = words();

    private static Map<String, Boolean> words() {
        Map<String, Boolean> m = new java.util.HashMap<>();
        for (String w : new String[] {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"}) {
            m.put(w, Boolean.TRUE);
        }
        for (String w : new String[] {"n", "N", "no", "No", "NO", "off", "Off", "OFF"}) {
            m.put(w, Boolean.FALSE);
        }
        return Map.copyOf(m);
    }

    Object convert(Node node) {
        return convert(node, "", 0);
    }

    private int lineOf(Node node) {
        return node.getStartMark().map(m -> m.getLine() + lineOffset).orElse(0);
    }

    private Object convert(Node node, String path, int depth) {
        if (++values > maxValues) {
            throw new TooLargeException("the document expands to more than " + maxValues
                    + " values (are YAML aliases repeating a large block?)");
        }
        if (depth > maxDepth) {
            throw new TooLargeException("the document nests deeper than " + maxDepth + " levels");
        }
        if (!inProgress.add(node)) {
            throw new TooLargeException("the document refers to itself through a YAML alias");
        }
        try {
            if (node instanceof MappingNode m) {
                Map<String, Object> out = new LinkedHashMap<>();
                List<NodeTuple> merges = new ArrayList<>();
                for (NodeTuple t : m.getValue()) {
                    String key = keyText(t.getKeyNode());
                    if ("<<".equals(key) && t.getKeyNode() instanceof ScalarNode sk && sk.getScalarStyle() == ScalarStyle.PLAIN) {
                        merges.add(t);
                        continue;
                    }
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    if (out.containsKey(key)) {
                        throw new DuplicateKeyException("duplicate key \"" + key + "\" (first on line " + lines.get(childPath)
                                + ")", childPath, lineOf(t.getKeyNode()));
                    }
                    lines.put(childPath, lineOf(t.getKeyNode()));
                    out.put(key, convert(t.getValueNode(), childPath, depth + 1));
                }
                for (NodeTuple t : merges) {
                    Node v = t.getValueNode();
                    List<Node> sources = v instanceof SequenceNode s ? s.getValue() : List.of(v);
                    for (Node src : sources) {
                        Object merged = convert(src, path, depth + 1);
                        if (merged instanceof Map<?, ?> mm) {
                            mm.forEach((k, val) -> out.putIfAbsent(k.toString(), val));
                        }
                    }
                }
                return out;
            }
            if (node instanceof SequenceNode s) {
                List<Object> out = new ArrayList<>();
                List<Node> items = s.getValue();
                for (int i = 0; i < items.size(); i++) {
                    String childPath = path + "[" + i + "]";
                    lines.put(childPath, lineOf(items.get(i)));
                    out.add(convert(items.get(i), childPath, depth + 1));
                }
                return out;
            }
            ScalarNode scalar = (ScalarNode) node;
            Object value = scalar(scalar.getTag(), scalar.getValue(), scalar.getScalarStyle());
            if (value instanceof String text && scalar.getScalarStyle() == ScalarStyle.PLAIN && YAML11_BOOLEAN_WORDS.containsKey(text)) {
                yaml11Booleans.put(path, YAML11_BOOLEAN_WORDS.get(text));
            }
            return value;
        } finally {
            inProgress.remove(node);
        }
    }

    private static String keyText(Node key) {
        if (key instanceof ScalarNode s) {
            return s.getValue();
        }
        return String.valueOf(key);
    }

    /** The boolean a plain scalar means in YAML 1.1 ({@code yes}, {@code off}, ...); null if none. */
    static Boolean yaml11Boolean(String plain) {
        return YAML11_BOOLEAN_WORDS.get(plain);
    }

    /** A scalar's value from its resolved tag, text and style. */
    static Object scalar(Tag tag, String v, ScalarStyle style) {
        if (style != ScalarStyle.PLAIN) {
            return v;
        }
        try {
            if (Tag.NULL.equals(tag)) {
                return null;
            }
            if (Tag.BOOL.equals(tag)) {
                return Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT));
            }
            if (Tag.INT.equals(tag)) {
                return integer(v);
            }
            if (Tag.FLOAT.equals(tag)) {
                return floating(v);
            }
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }

    private static Object integer(String v) {
        String t = v.replace("_", "");
        int sign = 1;
        if (t.startsWith("-") || t.startsWith("+")) {
            sign = t.startsWith("-") ? -1 : 1;
            t = t.substring(1);
        }
        BigInteger b;
        if (t.startsWith("0x")) {
            b = new BigInteger(t.substring(2), 16);
        } else if (t.startsWith("0o")) {
            b = new BigInteger(t.substring(2), 8);
        } else {
            b = new BigInteger(t);
        }
        if (sign < 0) {
            b = b.negate();
        }
        if (b.bitLength() < 32) {
            return b.intValue();
        }
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    private static Object floating(String v) {
        String t = v.toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.parseDouble(t.replace("_", ""));
        };
    }
}
