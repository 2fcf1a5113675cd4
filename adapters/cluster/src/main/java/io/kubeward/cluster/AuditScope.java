package io.kubeward.cluster;

/**
 * What to read: one namespace or all of them, an optional label selector, and the page size of
 * list requests.
 *
 * <p>The namespace and the selector narrow the objects audited: Pods, the workload kinds and
 * Services. The context the cross-resource rules need is read whole whatever the scope: Nodes,
 * Namespaces, ClusterRoles and ClusterRoleBindings always, NetworkPolicies, Roles and
 * RoleBindings of the namespace (or of all namespaces) without the selector. A pod the selector
 * picks whose owner it does not pick is reported as itself.
 *
 * @param namespace     the namespace, or null for all namespaces
 * @param labelSelector a Kubernetes label selector ({@code app=web,tier!=db}), or null
 * @param pageSize      items per list request (the {@code limit} parameter); large lists are read in pages
 */
public record AuditScope(String namespace, String labelSelector, int pageSize) {

    public static final int DEFAULT_PAGE_SIZE = 500;

    public AuditScope {
        if (namespace != null && namespace.isBlank()) {
            namespace = null;
        }
        if (labelSelector != null && labelSelector.isBlank()) {
            labelSelector = null;
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be at least 1: " + pageSize);
        }
    }

    public static AuditScope allNamespaces() {
        return new AuditScope(null, null, DEFAULT_PAGE_SIZE);
    }

    public static AuditScope namespace(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("namespace name is empty");
        }
        return new AuditScope(name, null, DEFAULT_PAGE_SIZE);
    }

    public AuditScope withLabelSelector(String selector) {
        return new AuditScope(namespace, selector, pageSize);
    }

    public AuditScope withPageSize(int size) {
        return new AuditScope(namespace, labelSelector, size);
    }

    public boolean isAllNamespaces() {
        return namespace == null;
    }

    /** "all namespaces" or "namespace x", with the selector when there is one, for messages. */
    public String describe() {
        String where = namespace == null ? "all namespaces" : "namespace " + namespace;
        return labelSelector == null ? where : where + ", labels " + labelSelector;
    }
}
