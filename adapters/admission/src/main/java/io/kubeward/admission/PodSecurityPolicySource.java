package io.kubeward.admission;

import io.kubeward.engine.psp.AdmissionPolicies;
import java.util.Objects;

/**
 * Where {@link PodSecurityPolicyDefaulter} takes the PodSecurityPolicies and the RBAC objects that
 * grant their {@code use} from: fixed, files reloaded when they change ({@code kubeward serve --psp}),
 * or the cluster ({@link ClusterPodSecurityPolicies}). Called on every review, from many threads at
 * once, so implementations answer from memory.
 */
@FunctionalInterface
public interface PodSecurityPolicySource {

    /** The policies and RBAC in force now; every policy valid. */
    AdmissionPolicies current();

    /** False while the source cannot answer yet (a cache of the cluster still filling). */
    default boolean isReady() {
        return true;
    }

    /**
     * A fixed set.
     *
     * @throws io.kubeward.engine.psp.InvalidPolicyException when a policy is invalid
     */
    static PodSecurityPolicySource fixed(AdmissionPolicies policies) {
        AdmissionPolicies valid = Objects.requireNonNull(policies, "policies").requireValid();
        return () -> valid;
    }
}
