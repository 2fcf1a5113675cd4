package io.kubeward.admission;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.psp.AdmissionPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * PodSecurityPolicies given from elsewhere (the policy API is gone from Kubernetes 1.25, so files),
 * and the RBAC that grants their {@code use} as it is in the cluster: Roles, ClusterRoles,
 * RoleBindings and ClusterRoleBindings kept in memory by watches (informers). RBAC objects among the
 * given objects count too. The decision set is rebuilt on the first review after either side
 * changed, never in between. Needs a fabric8 client implementation on the class path
 * ({@code io.fabric8:kubernetes-client}) and RBAC to list and watch those four kinds.
 */
public final class ClusterRbacPodSecurityPolicies implements PodSecurityPolicySource, AutoCloseable {

    private record Snapshot(List<InputObject> given, long version, AdmissionPolicies policies) {
    }

    private final Supplier<List<InputObject>> given;
    private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
    private final AtomicLong version = new AtomicLong();
    private volatile Snapshot snapshot;

    private ClusterRbacPodSecurityPolicies(KubernetesClient client, Supplier<List<InputObject>> given) {
        this.given = Objects.requireNonNull(given, "given");
        ResourceEventHandler<HasMetadata> changed = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata obj) {
                version.incrementAndGet();
            }

            @Override
            public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
                version.incrementAndGet();
            }

            @Override
            public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
                version.incrementAndGet();
            }
        };
        try {
            informers.add(client.rbac().clusterRoles().inform(handler(changed)));
            informers.add(client.rbac().clusterRoleBindings().inform(handler(changed)));
            informers.add(client.rbac().roles().inAnyNamespace().inform(handler(changed)));
            informers.add(client.rbac().roleBindings().inAnyNamespace().inform(handler(changed)));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEventHandler<T> handler(ResourceEventHandler<HasMetadata> h) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
    }

    /**
     * Starts watching the cluster's RBAC.
     *
     * @param given the PodSecurityPolicies (and any RBAC objects) to decide with: a snapshot list,
     *              replaced (not changed) when they change, e.g. {@code files::objects}
     */
    public static ClusterRbacPodSecurityPolicies start(KubernetesClient client, Supplier<List<InputObject>> given) {
        return new ClusterRbacPodSecurityPolicies(client, given);
    }

    @Override
    public AdmissionPolicies current() {
        List<InputObject> g = given.get();
        long v = version.get();
        Snapshot s = snapshot;
        if (s != null && s.given() == g && s.version() == v) {
            return s.policies();
        }
        synchronized (this) {
            s = snapshot;
            g = given.get();
            v = version.get();
            if (s != null && s.given() == g && s.version() == v) {
                return s.policies();
            }
            // read the version before the stores: a change while copying only causes one more rebuild
            List<InputObject> all = new ArrayList<>(g);
            for (SharedIndexInformer<? extends HasMetadata> i : informers) {
                i.getStore().list().forEach(o -> all.add(InputObject.of(o)));
            }
            AdmissionPolicies built = AdmissionPolicies.of(all).requireValid();
            snapshot = new Snapshot(g, v, built);
            return built;
        }
    }

    /** True once every watch has delivered its first list. */
    @Override
    public boolean isReady() {
        return informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** How many RBAC objects the watches hold now. */
    public int rbacObjects() {
        return informers.stream().mapToInt(i -> i.getStore().list().size()).sum();
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
