package io.kubeward.engine.model;

import java.util.Map;

/** Label-selector helpers shared by the fact model. */
public final class Labels {

    private Labels() {
    }

    /** True when every key/value of the selector is in the labels (an empty selector matches all). */
    public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty()) {
            return true;
        }
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (labels == null || !java.util.Objects.equals(labels.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** True when no key is required with two different values: some node could satisfy both. */
    public static boolean compatible(Map<String, String> a, Map<String, String> b) {
        if (a == null || b == null) {
            return true;
        }
        for (Map.Entry<String, String> e : a.entrySet()) {
            String other = b.get(e.getKey());
            if (other != null && !other.equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    public static String display(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder("{");
        new java.util.TreeMap<>(labels).forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append('=').append(v);
        });
        return sb.append('}').toString();
    }
}
