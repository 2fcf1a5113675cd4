package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.SELinuxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code seLinux} rule of a PodSecurityPolicy: {@code MustRunAs} with the options every
 * container must run with (and gets when it sets none), or {@code RunAsAny}.
 */
public final class SeLinuxStrategy {

    private final boolean mustRunAs;
    private final SELinuxOptions options;

    public SeLinuxStrategy(boolean mustRunAs, SELinuxOptions options) {
        this.mustRunAs = mustRunAs;
        this.options = options;
    }

    public boolean isMustRunAs() {
        return mustRunAs;
    }

    public boolean isRunAsAny() {
        return !mustRunAs;
    }

    /** The options MustRunAs requires, as a fresh copy (callers may set it on a pod). */
    public SELinuxOptions getOptions() {
        return options == null ? null
                : new SELinuxOptions(options.getLevel(), options.getRole(), options.getType(), options.getUser());
    }

    /** True when the options satisfy the rule: anything under RunAsAny; equal user, role, type and level under MustRunAs. */
    public boolean allows(SELinuxOptions actual) {
        return mismatches(actual).isEmpty();
    }

    /**
     * What differs from the required options, e.g. {@code type is spc_t, must be container_t};
     * empty when allowed. Unset fields of the policy's options are not checked.
     */
    public List<String> mismatches(SELinuxOptions actual) {
        List<String> out = new ArrayList<>();
        if (!mustRunAs) {
            return out;
        }
        if (actual == null) {
            out.add("no seLinuxOptions are set, must be " + describe(options));
            return out;
        }
        compare(out, "user", options.getUser(), actual.getUser());
        compare(out, "role", options.getRole(), actual.getRole());
        compare(out, "type", options.getType(), actual.getType());
        if (!equalLevels(options.getLevel(), actual.getLevel())) {
            out.add("level is " + show(actual.getLevel()) + ", must be " + options.getLevel());
        }
        return out;
    }

    private static void compare(List<String> out, String field, String required, String actual) {
        if (required != null && !required.isEmpty() && !Objects.equals(required, actual)) {
            out.add(field + " is " + show(actual) + ", must be " + required);
        }
    }

    /** Levels compare by sensitivity and the set of categories, so {@code s0:c1,c2} equals {@code s0:c2,c1}. */
    static boolean equalLevels(String required, String actual) {
        if (required == null || required.isEmpty()) {
            return true;
        }
        if (actual == null) {
            return false;
        }
        return canonicalLevel(required).equals(canonicalLevel(actual));
    }

    private static String canonicalLevel(String level) {
        int colon = level.indexOf(':');
        if (colon < 0) {
            return level.strip();
        }
        String sensitivity = level.substring(0, colon).strip();
        java.util.TreeSet<String> categories = new java.util.TreeSet<>();
        for (String c : level.substring(colon + 1).split(",")) {
            if (!c.isBlank()) {
                categories.add(c.strip());
            }
        }
        return sensitivity + ":" + String.join(",", categories);
    }

    private static String show(String s) {
        return s == null || s.isEmpty() ? "unset" : s;
    }

    /** e.g. {@code user=system_u, role=system_r, type=container_t, level=s0:c123,c456}. */
    public static String describe(SELinuxOptions o) {
        if (o == null) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (o.getUser() != null) {
            parts.add("user=" + o.getUser());
        }
        if (o.getRole() != null) {
            parts.add("role=" + o.getRole());
        }
        if (o.getType() != null) {
            parts.add("type=" + o.getType());
        }
        if (o.getLevel() != null) {
            parts.add("level=" + o.getLevel());
        }
        return String.join(", ", parts);
    }

    @Override
    public String toString() {
        return mustRunAs ? "MustRunAs " + describe(options) : "RunAsAny";
    }
}
