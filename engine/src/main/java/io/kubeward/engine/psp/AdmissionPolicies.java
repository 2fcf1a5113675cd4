package io.kubeward.engine.psp;

import io.kubeward.engine.InputObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The PodSecurityPolicies and RBAC objects an admission decides with, read and validated once
 * (a webhook keeps one and decides many requests with it). Policies are kept in name order, the
 * order the admission tries them in. Other objects of the input are ignored. Immutable.
 */
public final class AdmissionPolicies {

    /** A policy a request may use, and the binding that lets it (to the user or to the pod's service account). */
    public record AvailablePolicy(PodSecurityPolicyView policy, RbacAuthorizer.Grant grant, boolean viaServiceAccount) {
        /** e.g. {@code user alice via ClusterRoleBinding/psp-all -> ClusterRole/psp-default for Group system:authenticated}. */
        public String grantDisplay() {
            return (viaServiceAccount ? "the pod's service account" : "the user") + " via " + grant.display();
        }
    }

    private final List<PodSecurityPolicyView> policies;
    private final List<InvalidPolicyException> invalid;
    private final RbacAuthorizer rbac;

    private AdmissionPolicies(List<PodSecurityPolicyView> policies, List<InvalidPolicyException> invalid, RbacAuthorizer rbac) {
        this.policies = List.copyOf(policies);
        this.invalid = List.copyOf(invalid);
        this.rbac = rbac;
    }

    /**
     * Reads the policies and RBAC objects among the objects. Invalid policies are kept apart
     * ({@link #invalidPolicies()}); an admission refuses to decide while there are any.
     */
    public static AdmissionPolicies of(Collection<InputObject> objects) {
        List<PodSecurityPolicyView> policies = new ArrayList<>();
        List<InvalidPolicyException> invalid = new ArrayList<>();
        for (InputObject in : objects) {
            if (!PodSecurityPolicyView.isPodSecurityPolicy(in.object())) {
                continue;
            }
            try {
                policies.add(PodSecurityPolicyView.of(in));
            } catch (InvalidPolicyException e) {
                invalid.add(e);
            }
        }
        // the admission's order: by name, as strings compare byte by byte
        policies.sort(Comparator.comparing(PodSecurityPolicyView::getName));
        return new AdmissionPolicies(policies, invalid, RbacAuthorizer.of(objects));
    }

    /** Every valid policy, in name order. */
    public List<PodSecurityPolicyView> policies() {
        return policies;
    }

    public Optional<PodSecurityPolicyView> policy(String name) {
        return policies.stream().filter(p -> p.getName().equals(name)).findFirst();
    }

    /** The policies that are invalid, each with its problems. */
    public List<InvalidPolicyException> invalidPolicies() {
        return invalid;
    }

    /** Problems of the RBAC objects worth telling (bindings to roles not in the input, say). */
    public List<String> rbacWarnings() {
        return rbac.warnings();
    }

    public RbacAuthorizer rbac() {
        return rbac;
    }

    /** Throws the first invalid policy's problems, if any. */
    public AdmissionPolicies requireValid() {
        if (!invalid.isEmpty()) {
            throw invalid.get(0);
        }
        return this;
    }

    /**
     * The policies a request may use for a pod in a namespace, in name order: those the requesting
     * user may {@code use}, and those the pod's service account may use.
     */
    public List<AvailablePolicy> available(RequestUser user, String namespace, String serviceAccount) {
        RequestUser sa = RequestUser.serviceAccount(namespace, serviceAccount);
        List<AvailablePolicy> out = new ArrayList<>();
        for (PodSecurityPolicyView p : policies) {
            Optional<RbacAuthorizer.Grant> g = rbac.grantToUse(user, namespace, p.getName());
            if (g.isPresent()) {
                out.add(new AvailablePolicy(p, g.get(), false));
                continue;
            }
            g = rbac.grantToUse(sa, namespace, p.getName());
            g.ifPresent(grant -> out.add(new AvailablePolicy(p, grant, true)));
        }
        return out;
    }
}
