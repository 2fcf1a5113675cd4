package io.kubeward.engine.psp;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleSource;
import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Decides, as the PodSecurityPolicy admission plugin of the API server did, whether a pod may be
 * created by a user, and how it is defaulted:
 * <ol>
 *   <li>the policies available are those the requesting user, or the pod's service account
 *       ({@code system:serviceaccount:<ns>:<name>}), may {@code use} by the RBAC objects given;</li>
 *   <li>each is tried in name order on a copy of the pod it defaults; the generic DRL rules of the
 *       {@code pod-security-policy} pack check the defaulted copy against it;</li>
 *   <li>the first policy that admits the pod without changing it wins; failing that, the first that
 *       admits it after defaulting, and the decision carries its defaults and the JSON Patch;</li>
 *   <li>when none admits it, the pod is denied with each policy's reasons.</li>
 * </ol>
 * Built once (it holds a compiled rule set) and thread-safe.
 *
 * <pre>
 * PodSecurityPolicyAdmission admission = PodSecurityPolicyAdmission.withBuiltinRules();
 * AdmissionPolicies policies = AdmissionPolicies.of(pspAndRbacObjects).requireValid();
 * AdmissionDecision d = admission.admit(pod, RequestUser.of("alice", "devs"), policies);
 * if (d.allowed()) sendPatch(d.patch());
 * </pre>
 */
public final class PodSecurityPolicyAdmission {

    /** Where the built-in PodSecurityPolicy rules live on the classpath. */
    public static final String RULE_FOLDER = "kubeward/rules/pod-security-policy/";
    /** The DRL package of the built-in PodSecurityPolicy rules (see {@link PolicyEngine.Builder#onlyBuiltinPacks}). */
    public static final String RULE_PACK = "kubeward.podsecuritypolicy";
    static final String DEFAULT_NAMESPACE = "default";

    private final PolicyEngine engine;
    private final EvaluationOptions options;

    /** Uses an engine's rules; besides the built-in PodSecurityPolicy pack these may be the user's own rules over {@link PolicyReview}. */
    public PodSecurityPolicyAdmission(PolicyEngine engine) {
        this(engine, EvaluationOptions.DEFAULT);
    }

    /** As {@link #PodSecurityPolicyAdmission(PolicyEngine)}, with options (a configuration that switches rules off, say). */
    public PodSecurityPolicyAdmission(PolicyEngine engine, EvaluationOptions options) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** An admission with only the built-in PodSecurityPolicy rules (faster to build than every pack). */
    public static PodSecurityPolicyAdmission withBuiltinRules() {
        return withBuiltinRules(PodSecurityPolicyAdmission.class.getClassLoader());
    }

    public static PodSecurityPolicyAdmission withBuiltinRules(ClassLoader loader) {
        List<RuleSource> pack = RuleSource.builtin(loader).stream().filter(s -> s.name().startsWith(RULE_FOLDER)).toList();
        if (pack.isEmpty()) {
            throw new IllegalStateException("the PodSecurityPolicy rules (" + RULE_FOLDER + ") are not on the classpath; add kubeward-rules");
        }
        return new PodSecurityPolicyAdmission(PolicyEngine.builder().classLoader(loader).onlyBuiltinPacks(RULE_PACK).build());
    }

    /**
     * Decides for a pod (or an object running pods) created by a user.
     *
     * @param policiesAndRbac PodSecurityPolicies and RBAC objects (other objects are ignored)
     * @throws InvalidPolicyException when a policy is invalid
     * @throws IllegalArgumentException when the object runs no pods
     */
    public AdmissionDecision admit(InputObject pod, RequestUser user, Collection<InputObject> policiesAndRbac) {
        return admit(pod, user, AdmissionPolicies.of(policiesAndRbac).requireValid());
    }

    /** Decides for a pod in its own namespace ({@code default} when it names none). */
    public AdmissionDecision admit(InputObject pod, RequestUser user, AdmissionPolicies policies) {
        return admit(workloadOf(pod), null, user, policies);
    }

    /** Decides for a pod created in a namespace (as an admission request names it), whatever its metadata says. */
    public AdmissionDecision admit(InputObject pod, String namespace, RequestUser user, AdmissionPolicies policies) {
        return admit(workloadOf(pod), namespace, user, policies);
    }

    /** Decides for a workload already in the fact model, in its own namespace ({@code default} when it names none). */
    public AdmissionDecision admit(Workload pod, RequestUser user, Collection<InputObject> policiesAndRbac) {
        return admit(pod, null, user, AdmissionPolicies.of(policiesAndRbac).requireValid());
    }

    /**
     * Decides for a workload already in the fact model, created in a namespace (null: its own, else
     * {@code default}). An admission webhook passes the request's namespace and its user exactly as
     * authenticated: {@code new RequestUser(userInfo.username, userInfo.groups)}.
     */
    public AdmissionDecision admit(Workload pod, String namespace, RequestUser user, AdmissionPolicies policies) {
        Objects.requireNonNull(user, "user");
        policies.requireValid();
        String ns = namespace != null && !namespace.isEmpty() ? namespace
                : pod.getNamespace() != null && !pod.getNamespace().isEmpty() ? pod.getNamespace() : DEFAULT_NAMESPACE;
        String serviceAccount = ns + "/" + pod.getServiceAccountName();
        List<AdmissionPolicies.AvailablePolicy> available = policies.available(user, ns, pod.getServiceAccountName());
        List<PolicyReview> reviews = new ArrayList<>();
        for (AdmissionPolicies.AvailablePolicy a : available) {
            reviews.add(new PolicyReview(a.policy(), pod));
        }
        if (!reviews.isEmpty()) {
            List<Object> facts = new ArrayList<>();
            available.forEach(a -> facts.add(a.policy()));
            facts.addAll(reviews);
            engine.evaluateFacts(facts, options);
        }
        List<AdmissionDecision.PolicyOutcome> outcomes = new ArrayList<>();
        PolicyReview unchanged = null;
        PolicyReview defaulting = null;
        for (int i = 0; i < reviews.size(); i++) {
            PolicyReview r = reviews.get(i);
            outcomes.add(new AdmissionDecision.PolicyOutcome(r.getPolicy().getName(), available.get(i).grantDisplay(),
                    r.isAdmitted(), r.isChangesPod(), r.getDefaults(), r.getRefusals()));
            if (r.isAdmitted() && !r.isChangesPod() && unchanged == null) {
                unchanged = r;
            } else if (r.isAdmitted() && r.isChangesPod() && defaulting == null) {
                defaulting = r;
            }
        }
        // RBAC warnings belong to the policies, not the pod: callers read them once from AdmissionPolicies
        List<String> notes = new ArrayList<>();
        if (policies.policies().isEmpty()) {
            notes.add("the input has no PodSecurityPolicy: with the admission on, no pod is admitted");
        } else if (available.isEmpty()) {
            notes.add("none of the " + policies.policies().size() + " PodSecurityPolicies is available to " + user.display()
                    + " or to service account " + serviceAccount + " in namespace " + ns
                    + ": RBAC must grant verb use on podsecuritypolicies in API group policy");
        }
        PolicyReview winner = unchanged != null ? unchanged : defaulting;
        if (winner == null) {
            return new AdmissionDecision(pod.getResource(), ns, user, serviceAccount, false, null, pod.getObject(),
                    List.of(), "[]", outcomes, notes);
        }
        String patch = winner.isChangesPod() ? JsonPatch.diff(pod.getObject(), winner.getDefaultedObject()).toJson() : "[]";
        return new AdmissionDecision(pod.getResource(), ns, user, serviceAccount, true, winner.getPolicy().getName(),
                winner.getDefaultedObject(), winner.getDefaults(), patch, outcomes, notes);
    }

    private static Workload workloadOf(InputObject pod) {
        return Workload.of(pod.object(), pod.source()).orElseThrow(() -> new IllegalArgumentException(
                pod.ref().display() + " runs no pods; the PodSecurityPolicy admission decides for Pods and the objects that run them"));
    }
}
