package io.kubeward.admission;

import java.util.Map;

/**
 * Where the labels of a namespace come from: the service embedding kubeward provides it (the
 * webhook server reads the cluster through {@link ClusterNamespaceLabels}; tests use
 * {@link #fixed(Map)}). Implementations are called on every review and from many threads at once,
 * so they answer from memory.
 */
@FunctionalInterface
public interface NamespaceLabels {

    /**
     * The labels of a namespace; an empty map for a namespace without labels or not known.
     *
     * @throws RuntimeException when the labels cannot be had; the review then fails open or closed
     *                          as configured
     */
    Map<String, String> labelsOf(String namespace);

    /** False while the lookup is not yet able to answer (a cache still filling). */
    default boolean isReady() {
        return true;
    }

    /** Labels from a fixed map of namespace to labels. */
    static NamespaceLabels fixed(Map<String, Map<String, String>> labelsByNamespace) {
        Map<String, Map<String, String>> copy = Map.copyOf(labelsByNamespace);
        return namespace -> namespace == null ? Map.of() : copy.getOrDefault(namespace, Map.of());
    }

    /** No namespace has labels: every namespace gets the configured defaults. */
    static NamespaceLabels none() {
        return namespace -> Map.of();
    }
}
