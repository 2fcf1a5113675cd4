package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeward.engine.ResourceRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the PodSecurityPolicy admission decides for one pod: allowed or denied; the policy that
 * admitted it; what that policy set on the pod and the RFC 6902 JSON Patch that does it (against
 * the object as given, paths under its pod spec: {@code /spec/template/spec/containers/0/securityContext});
 * the pod as admitted; and, for every policy the request could use, whether it admits the pod
 * and why not. Immutable.
 *
 * @param resource       the pod, or the object running it
 * @param namespace      the namespace the pod is created in
 * @param user           the requesting user
 * @param serviceAccount the pod's service account ({@code namespace/name})
 * @param allowed        true when a policy admits the pod
 * @param policy         the admitting policy, null when denied
 * @param admitted       the object as admitted (defaulted by {@code policy}); the object as given when denied
 * @param defaults       what the admitting policy set; empty when it admitted the pod unchanged or when denied
 * @param patch          the JSON Patch of {@code defaults}; {@code []} when nothing changes
 * @param outcomes       every policy available to the request, in the order tried (by name)
 * @param notes          what else the caller should know (no policy at all, none available to the request)
 */
public record AdmissionDecision(
        ResourceRef resource,
        String namespace,
        RequestUser user,
        String serviceAccount,
        boolean allowed,
        String policy,
        HasMetadata admitted,
        List<AppliedDefault> defaults,
        String patch,
        List<PolicyOutcome> outcomes,
        List<String> notes) {

    /**
     * One available policy's verdict: whether it admits the pod, whether it would change it (and
     * how), why it refuses it, and the binding that makes it available.
     */
    public record PolicyOutcome(
            String policy,
            String grantedBy,
            boolean admits,
            boolean changesPod,
            List<AppliedDefault> defaults,
            List<PolicyRefusal> refusals) {

        public PolicyOutcome {
            defaults = List.copyOf(defaults);
            refusals = List.copyOf(refusals);
        }
    }

    public AdmissionDecision {
        defaults = List.copyOf(defaults);
        outcomes = List.copyOf(outcomes);
        notes = List.copyOf(notes);
    }

    /** True when the admitting policy changes the pod. */
    public boolean isMutated() {
        return allowed && !defaults.isEmpty();
    }

    /** Why each available policy refuses the pod, by policy name (in the order tried); policies that admit it are left out. */
    public Map<String, List<PolicyRefusal>> reasons() {
        Map<String, List<PolicyRefusal>> out = new LinkedHashMap<>();
        for (PolicyOutcome o : outcomes) {
            if (!o.admits()) {
                out.put(o.policy(), o.refusals());
            }
        }
        return out;
    }

    /** One line for a person: who admitted it, or why nothing did. */
    public String message() {
        if (allowed) {
            return resource.display() + " is admitted by PodSecurityPolicy " + policy
                    + (defaults.isEmpty() ? "" : " with " + defaults.size() + " default" + (defaults.size() == 1 ? "" : "s") + " applied");
        }
        if (outcomes.isEmpty()) {
            return resource.display() + " is denied: no PodSecurityPolicy is available to " + user.name()
                    + " or to service account " + serviceAccount;
        }
        return resource.display() + " is denied: " + outcomes.stream()
                .map(o -> o.policy() + ": " + o.refusals().stream().map(PolicyRefusal::message).collect(Collectors.joining("; ")))
                .collect(Collectors.joining(" | "));
    }
}
