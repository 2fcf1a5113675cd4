package io.kubeward.admission;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;

/**
 * Namespace labels from the cluster, kept in memory by a watch on Namespaces (an informer), so a
 * review never waits on the API server. A namespace the watch has not delivered yet (created a
 * moment ago) is read once directly. Needs a fabric8 client implementation on the class path
 * ({@code io.fabric8:kubernetes-client}) and RBAC to get, list and watch namespaces.
 */
public final class ClusterNamespaceLabels implements NamespaceLabels, AutoCloseable {

    private final KubernetesClient client;
    private final SharedIndexInformer<Namespace> informer;

    private ClusterNamespaceLabels(KubernetesClient client) {
        this.client = client;
        this.informer = client.namespaces().inform();
    }

    /** Starts watching the namespaces of the client's cluster. */
    public static ClusterNamespaceLabels start(KubernetesClient client) {
        return new ClusterNamespaceLabels(client);
    }

    @Override
    public Map<String, String> labelsOf(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            return Map.of();
        }
        Namespace ns = informer.getStore().getByKey(namespace);
        if (ns == null) {
            ns = client.namespaces().withName(namespace).get();
        }
        if (ns == null || ns.getMetadata() == null || ns.getMetadata().getLabels() == null) {
            return Map.of();
        }
        return ns.getMetadata().getLabels();
    }

    /** True when the watch's cache has the namespace; otherwise {@link #labelsOf} reads it from the API server. */
    @Override
    public boolean inMemory(String namespace) {
        return namespace == null || namespace.isEmpty() || informer.getStore().getByKey(namespace) != null;
    }

    @Override
    public boolean isReady() {
        return informer.hasSynced();
    }

    @Override
    public void close() {
        informer.close();
    }
}
