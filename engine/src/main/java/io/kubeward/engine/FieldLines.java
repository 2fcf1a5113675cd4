package io.kubeward.engine;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The line of each field of an object, by path ({@code spec.containers[0].ports[0].hostPort}), kept
 * as a tree of field names and list indexes rather than as one string per path: a manifest's
 * objects keep these for as long as their findings may need them, and the path strings took more
 * memory than the objects themselves. A read-only map; looking a path up walks the tree, and the
 * path strings are only made when the map is iterated.
 *
 * <p>Paths are as a reader writes them: a field at the top has no leading dot, a field below
 * another follows a {@code .}, a list item is {@code [i]}. Should two fields spell the same path
 * (a key that itself holds a dot), the later one's line counts, as with a map filled in document
 * order.
 */
public final class FieldLines extends AbstractMap<String, Integer> {

    /** Field names are few and repeat in every object: one copy each. */
    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();
    private static final int MAX_SHARED_NAMES = 100_000;

    private final int[] parent;
    private final String[] name;
    private final int[] index;
    private final int[] line;
    private final int[] firstChild;
    private final int[] nextSibling;
    private final int size;
    /** The node the paths are relative to; -1 for the top. */
    private final int root;
    private Map<String, Integer> materialized;

    private FieldLines(int[] parent, String[] name, int[] index, int[] line, int[] firstChild, int[] nextSibling, int size,
                       int root) {
        this.parent = parent;
        this.name = name;
        this.index = index;
        this.line = line;
        this.firstChild = firstChild;
        this.nextSibling = nextSibling;
        this.size = size;
        this.root = root;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds the tree in document order: each field or item after its parent. */
    public static final class Builder {
        private int[] parent = new int[64];
        private String[] name = new String[64];
        private int[] index = new int[64];
        private int[] line = new int[64];
        private int[] firstChild = new int[64];
        private int[] nextSibling = new int[64];
        private int[] lastChild = new int[64];
        private int size;
        private int topLast = -1;
        private boolean built;

        private Builder() {
        }

        /** A field {@code key} of {@code parentNode} (-1 for the top) on {@code line}; its node. */
        public int field(int parentNode, String key, int line) {
            return add(parentNode, share(key), -1, line);
        }

        /** Item {@code i} of the list at {@code parentNode} on {@code line}; its node. */
        public int item(int parentNode, int i, int line) {
            return add(parentNode, null, i, line);
        }

        /** The path of a node, as the map spells it. */
        public String pathOf(int node) {
            return path(parent, name, index, node, -1);
        }

        public FieldLines build() {
            if (built) {
                throw new IllegalStateException("already built");
            }
            built = true;
            parent = Arrays.copyOf(parent, size);
            name = Arrays.copyOf(name, size);
            index = Arrays.copyOf(index, size);
            line = Arrays.copyOf(line, size);
            firstChild = Arrays.copyOf(firstChild, size);
            nextSibling = Arrays.copyOf(nextSibling, size);
            lastChild = null;
            return new FieldLines(parent, name, index, line, firstChild, nextSibling, size, -1);
        }

        private int add(int parentNode, String key, int i, int at) {
            if (built) {
                throw new IllegalStateException("already built");
            }
            if (parentNode < -1 || parentNode >= size) {
                throw new IllegalArgumentException("no node " + parentNode);
            }
            if (size == parent.length) {
                int n = size * 2;
                parent = Arrays.copyOf(parent, n);
                name = Arrays.copyOf(name, n);
                index = Arrays.copyOf(index, n);
                line = Arrays.copyOf(line, n);
                firstChild = Arrays.copyOf(firstChild, n);
                nextSibling = Arrays.copyOf(nextSibling, n);
                lastChild = Arrays.copyOf(lastChild, n);
            }
            int node = size++;
            parent[node] = parentNode;
            name[node] = key;
            index[node] = i;
            line[node] = at;
            firstChild[node] = -1;
            nextSibling[node] = -1;
            lastChild[node] = -1;
            if (parentNode < 0) {
                if (topLast >= 0) {
                    nextSibling[topLast] = node;
                }
                topLast = node;
            } else {
                if (lastChild[parentNode] < 0) {
                    firstChild[parentNode] = node;
                } else {
                    nextSibling[lastChild[parentNode]] = node;
                }
                lastChild[parentNode] = node;
            }
            return node;
        }

        private static String share(String key) {
            String shared = NAMES.get(key);
            if (shared != null) {
                return shared;
            }
            if (NAMES.size() < MAX_SHARED_NAMES) {
                shared = NAMES.putIfAbsent(key, key);
                return shared != null ? shared : key;
            }
            return key;
        }
    }

    /** The fields below {@code prefix} (a path of this map), with paths relative to it; empty if none. */
    public Map<String, Integer> under(String prefix) {
        int node = find(prefix);
        return node < 0 ? Map.of() : new FieldLines(parent, name, index, line, firstChild, nextSibling, size, node);
    }

    @Override
    public Integer get(Object key) {
        if (!(key instanceof String path) || path.isEmpty()) {
            return null;
        }
        int node = find(path);
        return node < 0 ? null : line[node];
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, Integer>> entrySet() {
        return materialized().entrySet();
    }

    @Override
    public int size() {
        return materialized().size();
    }

    @Override
    public boolean isEmpty() {
        return materialized().isEmpty();
    }

    private Map<String, Integer> materialized() {
        Map<String, Integer> m = materialized;
        if (m == null) {
            Map<String, Integer> out = new LinkedHashMap<>();
            // nodes are in document order: the paths come out in it
            for (int n = root + 1; n < size; n++) {
                if (root < 0 || isBelowField(n)) {
                    out.put(path(parent, name, index, n, root), line[n]);
                }
            }
            m = java.util.Collections.unmodifiableMap(out);
            materialized = m;
        }
        return m;
    }

    /** Whether a node is below this view's root through one of the root's fields (not a list index). */
    private boolean isBelowField(int node) {
        int n = node;
        while (n >= 0 && parent[n] != root) {
            n = parent[n];
        }
        return n >= 0 && name[n] != null;
    }

    private int firstOf(int node) {
        if (node >= 0) {
            return firstChild[node];
        }
        return size == 0 ? -1 : 0; // the first node is always at the top
    }

    /** The node a path names (the latest in document order when several spell it); -1 if none. */
    private int find(String path) {
        return match(path, 0, root);
    }

    private int match(String path, int pos, int node) {
        int best = -1;
        boolean top = node == root;
        for (int c = firstOf(node); c >= 0; c = nextSibling[c]) {
            int end;
            String key = name[c];
            if (key != null) {
                int at = top ? pos : pos + 1;
                if (!top && (pos >= path.length() || path.charAt(pos) != '.')) {
                    continue;
                }
                if (!path.startsWith(key, at)) {
                    continue;
                }
                end = at + key.length();
            } else {
                // relative to an item of a list, the paths are those of its fields
                end = top && root >= 0 ? -1 : indexEnd(path, pos, index[c]);
                if (end < 0) {
                    continue;
                }
            }
            int found;
            if (end == path.length()) {
                found = c;
            } else {
                char next = path.charAt(end);
                found = next == '.' || next == '[' ? match(path, end, c) : -1;
            }
            best = Math.max(best, found);
        }
        return best;
    }

    /** Where {@code [i]} ends when it is at {@code pos}; -1 when something else is there. */
    private static int indexEnd(String path, int pos, int i) {
        if (pos >= path.length() || path.charAt(pos) != '[') {
            return -1;
        }
        int close = path.indexOf(']', pos + 1);
        if (close < 0 || close == pos + 1 || close - pos > 11) {
            return -1;
        }
        int v = 0;
        for (int k = pos + 1; k < close; k++) {
            char ch = path.charAt(k);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v == i ? close + 1 : -1;
    }

    private static String path(int[] parent, String[] name, int[] index, int node, int root) {
        if (node == root) {
            return "";
        }
        int depth = 0;
        for (int n = node; n != root && n >= 0; n = parent[n]) {
            depth++;
        }
        int[] chain = new int[depth];
        int k = depth;
        for (int n = node; n != root && n >= 0; n = parent[n]) {
            chain[--k] = n;
        }
        StringBuilder sb = new StringBuilder();
        for (int n : chain) {
            if (name[n] != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(name[n]);
            } else {
                sb.append('[').append(index[n]).append(']');
            }
        }
        return sb.toString();
    }
}
