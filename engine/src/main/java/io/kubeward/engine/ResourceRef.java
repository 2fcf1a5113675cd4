package io.kubeward.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Names a Kubernetes object: apiVersion, kind, namespace (null for cluster-scoped or unset) and name. */
public record ResourceRef(String apiVersion, String kind, String namespace, String name) {

    public static ResourceRef of(HasMetadata object) {
        String ns = object.getMetadata() == null ? null : object.getMetadata().getNamespace();
        String name = object.getMetadata() == null ? null : object.getMetadata().getName();
        if (name == null && object.getMetadata() != null && object.getMetadata().getGenerateName() != null) {
            name = object.getMetadata().getGenerateName() + "*";
        }
        return new ResourceRef(object.getApiVersion(), object.getKind(), ns, name);
    }

    /** {@code Kind/namespace/name}, or {@code Kind/name} when there is no namespace. */
    public String display() {
        StringBuilder sb = new StringBuilder(kind == null ? "?" : kind).append('/');
        if (namespace != null && !namespace.isEmpty()) {
            sb.append(namespace).append('/');
        }
        return sb.append(name == null ? "?" : name).toString();
    }

    @Override
    public String toString() {
        return display();
    }
}
