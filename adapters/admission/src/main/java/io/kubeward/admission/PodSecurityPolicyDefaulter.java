package io.kubeward.admission;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubeward.engine.model.Workload;
import io.kubeward.engine.psp.AdmissionDecision;
import io.kubeward.engine.psp.AdmissionPolicies;
import io.kubeward.engine.psp.AppliedDefault;
import io.kubeward.engine.psp.JsonPatch;
import io.kubeward.engine.psp.PodSecurityPolicyAdmission;
import io.kubeward.engine.psp.PolicyRefusal;
import io.kubeward.engine.psp.RequestUser;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The PodSecurityPolicy admission plugin as two webhooks. On {@code /mutate}: the policies the
 * requesting user, or the pod's service account, may {@code use} are tried in name order; one that
 * admits the pod unchanged wins, else the first that admits it after setting its defaults, whose
 * JSON patch is answered; when none admits it the request is denied (403) with each policy's
 * reasons. On {@code /validate} ({@link #refusal}): the object as it arrives after every mutating
 * webhook must be admitted unchanged by one of those policies.
 *
 * <ul>
 *   <li><b>Workload kinds</b> (Deployment, Job, CronJob, ...) are decided on their pod template:
 *       the service account is the template's, the patch paths go through the template
 *       ({@code /spec/template/spec/containers/0/securityContext}). The requester is whoever writes
 *       the workload; the pods its controller creates later are requested by the controller's
 *       service account, so they are decided again with the pod's service account's policies.</li>
 *   <li><b>UPDATE</b> that leaves the pod spec and pod annotations as they were (a label edit, a
 *       scale) is allowed unchecked, as by the validating webhook. A Pod's security fields cannot
 *       change once it exists, so an UPDATE of a Pod is admitted only by a policy that admits it
 *       unchanged (the plugin did not default on update either); an UPDATE of a workload's
 *       template is defaulted like a CREATE, since it is the spec of pods still to be created.</li>
 *   <li>The admitting policy is returned as the audit annotation {@value #ADMIT_POLICY}, and a Pod
 *       being created gets it in its annotation {@value #VALIDATED_POLICY}, as the plugin set it
 *       (in the same patch as the defaults, or alone when the pod is admitted as it is).</li>
 *   <li>No side effects, {@code dryRun} or not: the answer is computed from memory.</li>
 * </ul>
 * Thread-safe.
 */
public final class PodSecurityPolicyDefaulter implements PodDefaulter {

    /** The audit annotation naming the admitting policy (the API server prefixes the webhook's name). */
    public static final String ADMIT_POLICY = "psp-admit-policy";

    /** The pod annotation naming the policy that admitted a pod at its creation, as the admission plugin set it. */
    public static final String VALIDATED_POLICY = "kubernetes.io/psp";

    private final PodSecurityPolicyAdmission admission;
    private final PodSecurityPolicySource policies;

    public PodSecurityPolicyDefaulter(PodSecurityPolicyAdmission admission, PodSecurityPolicySource policies) {
        this.admission = Objects.requireNonNull(admission, "admission");
        this.policies = Objects.requireNonNull(policies, "policies");
    }

    @Override
    public boolean isReady() {
        return policies.isReady();
    }

    /** The admission's decision on the request's pod, with what it needs to answer; null when there is nothing to decide. */
    private record Decided(AdmissionDecision decision, AdmissionPolicies policies, String what) {
    }

    private Decided decide(MutationRequest request) {
        HasMetadata object = request.object();
        Optional<Workload> found = object == null ? Optional.empty() : Workload.of(object, null);
        if (found.isEmpty()) {
            return null; // runs no pods: nothing for a pod security policy to decide
        }
        Workload pod = found.get();
        if (request.isUpdate() && podSpecUnchanged(pod, request.oldObject())) {
            return null;
        }
        AdmissionPolicies current = policies.current();
        AdmissionDecision d = admission.admit(pod, request.namespace(), requester(request), current);
        return new Decided(d, current, display(pod, d.namespace()));
    }

    @Override
    public Mutation defaults(MutationRequest request) {
        Decided decided = decide(request);
        if (decided == null) {
            return Mutation.NONE;
        }
        HasMetadata object = request.object();
        AdmissionDecision d = decided.decision();
        String what = decided.what();
        if (!d.allowed()) {
            return Mutation.deny(what + " is forbidden: " + refusal(d, decided.policies()), List.of(), Map.of());
        }
        if (d.isMutated() && request.isUpdate() && object instanceof Pod) {
            return Mutation.deny(what + " is forbidden: no PodSecurityPolicy admits the pod as it is, and an update cannot"
                    + " set the defaults a policy needs: " + needsDefaults(d), List.of(), Map.of());
        }
        Map<String, String> audit = Map.of(ADMIT_POLICY, d.policy());
        if (object instanceof Pod sent && !request.isUpdate()) {
            // as the admission plugin did on a pod's creation: the policy that admitted it, in an annotation
            Pod base = (Pod) (d.isMutated() ? d.admitted() : sent);
            Map<String, String> annotations = base.getMetadata() == null ? null : base.getMetadata().getAnnotations();
            if (annotations == null || !d.policy().equals(annotations.get(VALIDATED_POLICY))) {
                Pod annotated = new PodBuilder(base).editOrNewMetadata().addToAnnotations(VALIDATED_POLICY, d.policy()).endMetadata().build();
                return new Mutation(annotated, JsonPatch.diff(sent, annotated).toJson(), List.of(), null, audit);
            }
        }
        return d.isMutated() ? new Mutation(d.admitted(), d.patch(), List.of(), null, audit)
                : new Mutation(null, "[]", List.of(), null, audit);
    }

    /**
     * The validating webhook's check, as the admission plugin's validation phase was: the object
     * as it is now, after every mutating webhook, must be admitted <em>unchanged</em> by a policy
     * the requester or the service account may use. This catches a later mutating webhook that
     * undid a default, and objects that reached the API server without {@code /mutate}.
     */
    @Override
    public String refusal(MutationRequest request) {
        Decided decided = decide(request);
        if (decided == null) {
            return null;
        }
        AdmissionDecision d = decided.decision();
        if (!d.allowed()) {
            return decided.what() + " is forbidden: " + refusal(d, decided.policies());
        }
        if (d.isMutated()) {
            return decided.what() + " is forbidden: no PodSecurityPolicy admits it as it is (the mutating webhook sets the defaults a"
                    + " policy needs; was it changed after, or not sent there?): " + needsDefaults(d);
        }
        return null;
    }

    /** The requester exactly as the API server authenticated it (its groups already hold system:authenticated). */
    static RequestUser requester(MutationRequest r) {
        String name = r.username() == null || r.username().isEmpty() ? RequestUser.ANONYMOUS : r.username();
        return new RequestUser(name, r.groups());
    }

    private static boolean podSpecUnchanged(Workload now, HasMetadata old) {
        if (old == null || !Objects.equals(old.getKind(), now.getKind())) {
            return false;
        }
        Optional<Workload> before = Workload.of(old, null);
        return before.isPresent() && before.get().getSpec().equals(now.getSpec())
                && before.get().getPodAnnotations().equals(now.getPodAnnotations());
    }

    /** Why nothing admits it: each available policy's refusals, or why no policy is available. */
    private static String refusal(AdmissionDecision d, AdmissionPolicies current) {
        if (current.policies().isEmpty()) {
            return "no PodSecurityPolicy is loaded, so no pod is admitted";
        }
        if (d.outcomes().isEmpty()) {
            return "no PodSecurityPolicy is available to " + d.user().display() + " or to service account " + d.serviceAccount()
                    + " (RBAC grants neither verb use on podsecuritypolicies in API group policy)";
        }
        return "no PodSecurityPolicy admits it: " + d.reasons().entrySet().stream()
                .map(e -> "policy " + e.getKey() + ": " + e.getValue().stream().map(PodSecurityPolicyDefaulter::reason)
                        .collect(Collectors.joining("; ")))
                .collect(Collectors.joining(" | "));
    }

    private static String needsDefaults(AdmissionDecision d) {
        return d.outcomes().stream()
                .map(o -> o.admits()
                        ? "policy " + o.policy() + " only with " + o.defaults().stream().map(AppliedDefault::display).collect(Collectors.joining(", "))
                        : "policy " + o.policy() + ": " + o.refusals().stream().map(PodSecurityPolicyDefaulter::reason).collect(Collectors.joining("; ")))
                .collect(Collectors.joining(" | "));
    }

    /** {@code [psp-privileged] spec.containers[0].securityContext.privileged: container app is privileged, ...}. */
    private static String reason(PolicyRefusal r) {
        return "[" + r.rule() + "] " + r.path() + ": " + r.message();
    }

    private static String display(Workload pod, String namespace) {
        String name = pod.getResource().name() == null ? "?" : pod.getResource().name();
        return pod.getResource().kind() + " " + (namespace == null || namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
