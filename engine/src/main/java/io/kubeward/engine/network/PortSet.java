package io.kubeward.engine.network;

import java.util.Arrays;

/**
 * An immutable set of ports in 1..65535, kept as sorted, disjoint, non-adjacent inclusive ranges
 * (adjacent ranges are always merged, so equal sets have equal representations).
 */
public final class PortSet {

    public static final int MIN = 1;
    public static final int MAX = 65535;

    public static final PortSet NONE = new PortSet(new int[0]);
    public static final PortSet ALL = new PortSet(new int[] {MIN, MAX});

    /** start0, end0, start1, end1, ... */
    private final int[] bounds;

    private PortSet(int[] bounds) {
        this.bounds = bounds;
    }

    /** The inclusive range {@code from..to}, clipped to 1..65535; empty when {@code to < from}. */
    public static PortSet range(int from, int to) {
        int a = Math.max(MIN, from);
        int b = Math.min(MAX, to);
        if (b < a) {
            return NONE;
        }
        if (a == MIN && b == MAX) {
            return ALL;
        }
        return new PortSet(new int[] {a, b});
    }

    public static PortSet of(int port) {
        return range(port, port);
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    public boolean isAll() {
        return bounds.length == 2 && bounds[0] == MIN && bounds[1] == MAX;
    }

    public boolean contains(int port) {
        for (int i = 0; i < bounds.length; i += 2) {
            if (port < bounds[i]) {
                return false;
            }
            if (port <= bounds[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** True when every port of {@code other} is in this set. */
    public boolean containsAll(PortSet other) {
        return other.minus(this).isEmpty();
    }

    public PortSet union(PortSet other) {
        if (other.isEmpty() || this == other || isAll()) {
            return this;
        }
        if (isEmpty() || other.isAll()) {
            return other;
        }
        int[] out = new int[bounds.length + other.bounds.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < bounds.length || j < other.bounds.length) {
            int s;
            int e;
            if (j >= other.bounds.length || (i < bounds.length && bounds[i] <= other.bounds[j])) {
                s = bounds[i];
                e = bounds[i + 1];
                i += 2;
            } else {
                s = other.bounds[j];
                e = other.bounds[j + 1];
                j += 2;
            }
            if (n > 0 && s <= out[n - 1] + 1) {
                out[n - 1] = Math.max(out[n - 1], e);
            } else {
                out[n++] = s;
                out[n++] = e;
            }
        }
        return make(out, n);
    }

    public PortSet intersect(PortSet other) {
        if (isEmpty() || other.isAll() || this == other) {
            return this;
        }
        if (other.isEmpty() || isAll()) {
            return other;
        }
        int[] out = new int[bounds.length + other.bounds.length];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < bounds.length && j < other.bounds.length) {
            int s = Math.max(bounds[i], other.bounds[j]);
            int e = Math.min(bounds[i + 1], other.bounds[j + 1]);
            if (s <= e) {
                out[n++] = s;
                out[n++] = e;
            }
            if (bounds[i + 1] < other.bounds[j + 1]) {
                i += 2;
            } else {
                j += 2;
            }
        }
        return make(out, n);
    }

    public PortSet minus(PortSet other) {
        if (isEmpty() || other.isEmpty()) {
            return this;
        }
        if (other.isAll() || this == other) {
            return NONE;
        }
        return intersect(other.complement());
    }

    public PortSet complement() {
        if (isEmpty()) {
            return ALL;
        }
        int[] out = new int[bounds.length + 2];
        int n = 0;
        int next = MIN;
        for (int i = 0; i < bounds.length; i += 2) {
            if (bounds[i] > next) {
                out[n++] = next;
                out[n++] = bounds[i] - 1;
            }
            next = bounds[i + 1] + 1;
        }
        if (next <= MAX) {
            out[n++] = next;
            out[n++] = MAX;
        }
        return make(out, n);
    }

    private static PortSet make(int[] out, int n) {
        if (n == 0) {
            return NONE;
        }
        if (n == 2 && out[0] == MIN && out[1] == MAX) {
            return ALL;
        }
        return new PortSet(Arrays.copyOf(out, n));
    }

    /** Ascending single ports and ranges: {@code 53}, {@code 8080-8081,9090}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bounds.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(bounds[i]);
            if (bounds[i + 1] != bounds[i]) {
                sb.append('-').append(bounds[i + 1]);
            }
        }
        return sb.toString();
    }

    /** The ranges as {@code [start, end]} pairs. */
    public int[][] ranges() {
        int[][] out = new int[bounds.length / 2][];
        for (int i = 0; i < bounds.length; i += 2) {
            out[i / 2] = new int[] {bounds[i], bounds[i + 1]};
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortSet p && Arrays.equals(bounds, p.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }
}
