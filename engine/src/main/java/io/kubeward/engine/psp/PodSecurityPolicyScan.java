package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.model.Findings;
import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a plain scan evaluates the PodSecurityPolicies in its input. A scan has no requesting user,
 * so it asks whether any policy of the input admits each workload's pods, whoever creates them:
 * every workload is reviewed against every valid policy (RBAC objects are not consulted), and a
 * workload that no policy admits gets each policy's refusals as findings of the refusing rules
 * ({@code psp-host-ports}, ...). A workload some policy admits gets none. Invalid policies admit
 * nothing and are reported by {@code psp-invalid-policy}. Without policies in the input the
 * PodSecurityPolicy rules see no facts and report nothing.
 */
public final class PodSecurityPolicyScan {

    public static final PodSecurityPolicyScan NONE = new PodSecurityPolicyScan(List.of(), List.of(), List.of());

    private final List<PodSecurityPolicyView> policies;
    private final List<PolicyReview> reviews;
    private final List<InvalidPodSecurityPolicy> invalid;

    private PodSecurityPolicyScan(List<PodSecurityPolicyView> policies, List<PolicyReview> reviews, List<InvalidPodSecurityPolicy> invalid) {
        this.policies = List.copyOf(policies);
        this.reviews = List.copyOf(reviews);
        this.invalid = List.copyOf(invalid);
    }

    /** True for the objects a scan reads as policies. */
    public static boolean isPolicyObject(HasMetadata o) {
        return PodSecurityPolicyView.isPodSecurityPolicy(o);
    }

    /** One review per workload and valid policy. */
    public static PodSecurityPolicyScan of(Collection<InputObject> policies, Collection<Workload> workloads) {
        if (policies.isEmpty()) {
            return NONE;
        }
        List<PodSecurityPolicyView> valid = new ArrayList<>();
        List<InvalidPodSecurityPolicy> invalid = new ArrayList<>();
        for (InputObject in : policies) {
            try {
                valid.add(PodSecurityPolicyView.of(in));
            } catch (InvalidPolicyException e) {
                invalid.add(new InvalidPodSecurityPolicy(in.ref(), in.source(), e.problems()));
            }
        }
        List<PolicyReview> reviews = new ArrayList<>();
        for (Workload w : workloads) {
            for (PodSecurityPolicyView p : valid) {
                reviews.add(new PolicyReview(p, w));
            }
        }
        return new PodSecurityPolicyScan(valid, reviews, invalid);
    }

    /** The facts to insert into the session: each valid policy (for rules about policies themselves), each review, each invalid policy. */
    public List<Object> facts() {
        List<Object> out = new ArrayList<>(policies);
        out.addAll(reviews);
        out.addAll(invalid);
        return out;
    }

    /**
     * After the rules ran: reports the refusals of every workload that no policy admits, each as a
     * finding of the rule that refused it, its message naming the policy.
     */
    public void reportUnadmitted(Findings findings) {
        Map<Workload, List<PolicyReview>> byWorkload = new LinkedHashMap<>();
        for (PolicyReview r : reviews) {
            byWorkload.computeIfAbsent(r.getOriginal(), k -> new ArrayList<>()).add(r);
        }
        for (List<PolicyReview> of : byWorkload.values()) {
            if (of.stream().anyMatch(PolicyReview::isAdmitted)) {
                continue;
            }
            for (PolicyReview r : of) {
                for (PolicyReview.Refused x : r.refused()) {
                    findings.report(x.rule(), x.subject(), x.refusal().path(), "PodSecurityPolicy " + r.getPolicy().getName()
                            + ": " + x.refusal().message() + "; no PodSecurityPolicy in the input admits the pod");
                }
            }
        }
    }
}
