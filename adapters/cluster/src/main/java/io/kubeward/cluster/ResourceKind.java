package io.kubeward.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * The kinds an audit reads, in reading order: the cheap cluster-scoped context first (a failure
 * to reach the API server shows up at once), then the workloads, Services and policies.
 */
public enum ResourceKind {
    NAMESPACES(Namespace.class, "", "namespaces", false, false),
    NODES(Node.class, "", "nodes", false, false),
    PODS(Pod.class, "", "pods", true, true),
    DEPLOYMENTS(Deployment.class, "apps", "deployments", true, true),
    REPLICA_SETS(ReplicaSet.class, "apps", "replicasets", true, true),
    STATEFUL_SETS(StatefulSet.class, "apps", "statefulsets", true, true),
    DAEMON_SETS(DaemonSet.class, "apps", "daemonsets", true, true),
    JOBS(Job.class, "batch", "jobs", true, true),
    CRON_JOBS(CronJob.class, "batch", "cronjobs", true, true),
    REPLICATION_CONTROLLERS(ReplicationController.class, "", "replicationcontrollers", true, true),
    SERVICES(Service.class, "", "services", true, true),
    NETWORK_POLICIES(NetworkPolicy.class, "networking.k8s.io", "networkpolicies", true, false),
    ROLES(Role.class, "rbac.authorization.k8s.io", "roles", true, false),
    ROLE_BINDINGS(RoleBinding.class, "rbac.authorization.k8s.io", "rolebindings", true, false),
    CLUSTER_ROLES(ClusterRole.class, "rbac.authorization.k8s.io", "clusterroles", false, false),
    CLUSTER_ROLE_BINDINGS(ClusterRoleBinding.class, "rbac.authorization.k8s.io", "clusterrolebindings", false, false);

    private final Class<? extends HasMetadata> type;
    private final String group;
    private final String plural;
    private final boolean namespaced;
    private final boolean selectable;

    ResourceKind(Class<? extends HasMetadata> type, String group, String plural, boolean namespaced, boolean selectable) {
        this.type = type;
        this.group = group;
        this.plural = plural;
        this.namespaced = namespaced;
        this.selectable = selectable;
    }

    public Class<? extends HasMetadata> type() {
        return type;
    }

    /** The API group; empty for the core group. */
    public String group() {
        return group;
    }

    /** The resource name in URLs and RBAC rules, e.g. {@code deployments}. */
    public String plural() {
        return plural;
    }

    public boolean namespaced() {
        return namespaced;
    }

    /** True when the scope's label selector applies to this kind (Pods, workloads and Services). */
    public boolean selectable() {
        return selectable;
    }

    /** {@code deployments.apps}, {@code pods}: how kubectl and RBAC name it. */
    public String display() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** The kind an object of this resource has, e.g. {@code Deployment}. */
    public String kind() {
        return type.getSimpleName();
    }

    /** The resource kind for an object's kind, or null when an audit does not read that kind. */
    public static ResourceKind ofKind(String kind) {
        for (ResourceKind k : values()) {
            if (k.kind().equals(kind)) {
                return k;
            }
        }
        return null;
    }

    /** The list/watch operation for this kind within the scope. */
    FilterWatchListDeletable<? extends HasMetadata, ? extends KubernetesResourceList<? extends HasMetadata>, ?> operation(
            KubernetesClient client, AuditScope scope) {
        return scoped(client.resources(type), scope);
    }

    private <T extends HasMetadata> FilterWatchListDeletable<T, KubernetesResourceList<T>, Resource<T>> scoped(
            MixedOperation<T, KubernetesResourceList<T>, Resource<T>> op, AuditScope scope) {
        FilterWatchListDeletable<T, KubernetesResourceList<T>, Resource<T>> scoped;
        if (!namespaced) {
            scoped = op;
        } else if (scope.namespace() == null) {
            scoped = op.inAnyNamespace();
        } else {
            scoped = op.inNamespace(scope.namespace());
        }
        if (selectable && scope.labelSelector() != null) {
            scoped = scoped.withLabelSelector(scope.labelSelector());
        }
        return scoped;
    }
}
