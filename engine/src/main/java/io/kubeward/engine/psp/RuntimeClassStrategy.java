package io.kubeward.engine.psp;

import java.util.List;

/**
 * The {@code runtimeClass} rule of a PodSecurityPolicy: the RuntimeClass names a pod may ask for
 * ({@code *} for any; an empty list allows only pods that ask for none), and the name set on pods
 * that ask for none.
 */
public final class RuntimeClassStrategy {

    private final List<String> allowedRuntimeClassNames;
    private final String defaultRuntimeClassName;

    public RuntimeClassStrategy(List<String> allowedRuntimeClassNames, String defaultRuntimeClassName) {
        this.allowedRuntimeClassNames = List.copyOf(allowedRuntimeClassNames);
        this.defaultRuntimeClassName = defaultRuntimeClassName;
    }

    public List<String> getAllowedRuntimeClassNames() {
        return allowedRuntimeClassNames;
    }

    public String getDefaultRuntimeClassName() {
        return defaultRuntimeClassName;
    }

    /** An unset name is always allowed; a set one must be listed (or the list must hold {@code *}). */
    public boolean allows(String runtimeClassName) {
        if (runtimeClassName == null || runtimeClassName.isEmpty()) {
            return true;
        }
        return allowedRuntimeClassNames.contains("*") || allowedRuntimeClassNames.contains(runtimeClassName);
    }

    @Override
    public String toString() {
        return allowedRuntimeClassNames.isEmpty() ? "none" : String.join(", ", allowedRuntimeClassNames);
    }
}
