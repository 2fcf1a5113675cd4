package io.kubeward.admission;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the labels of a namespace come from: the service embedding kubeward provides it (the
 * webhook server reads the cluster through {@link ClusterNamespaceLabels}; tests use
 * {@link #fixed(Map)}). Implementations are called on every review and from many threads at once,
 * so they answer from memory, or say with {@link #inMemory} when they cannot.
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

    /**
     * True when {@link #labelsOf} answers for this namespace from memory, without waiting on I/O
     * (true by default). The webhook server decides such reviews on the event loop that read them;
     * a review whose namespace is not in memory (say, one created a moment ago, not yet in a
     * watch's cache) is handed to a thread of its own, so that its lookup holds up no other
     * connection.
     */
    default boolean inMemory(String namespace) {
        return true;
    }

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

    /**
     * Labels from a YAML file mapping each namespace to its labels, for running without a cluster:
     * <pre>
     * team-a:
     *   pod-security.kubernetes.io/enforce: restricted
     * </pre>
     *
     * @throws IllegalArgumentException naming the file and the entry at fault
     */
    static NamespaceLabels load(Path file) {
        Object root;
        try {
            root = new KubernetesSerialization().unmarshal(Files.readString(file), Object.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            return none();
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(file + ": expected a mapping of namespace to labels");
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String ns = String.valueOf(e.getKey());
            if (e.getValue() == null) {
                out.put(ns, Map.of());
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> labels)) {
                throw new IllegalArgumentException(file + ": " + ns + ": expected a mapping of label to value");
            }
            Map<String, String> l = new LinkedHashMap<>();
            labels.forEach((k, v) -> l.put(String.valueOf(k), String.valueOf(v)));
            out.put(ns, l);
        }
        return fixed(out);
    }
}
