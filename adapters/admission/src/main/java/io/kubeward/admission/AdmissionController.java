package io.kubeward.admission;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeward.admission.AdmissionMetrics.Result;
import io.kubeward.admission.NamespacePolicy.ModePolicy;
import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.Finding;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import java.util.function.Supplier;
import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers AdmissionReviews in process, without any server: a review in, the response out.
 *
 * <p><b>Validating</b> ({@link #validate(byte[])}): CREATE and UPDATE of Pods and of every workload
 * kind (their pod templates), and the {@code ephemeralcontainers} subresource of Pods, are
 * evaluated; DELETE and CONNECT, other subresources and other kinds are allowed unchecked, and so is
 * an UPDATE that leaves the pod spec and pod annotations as they were (a label edit, a scale). Each
 * of the three modes counts the findings of its Pod Security Standards profile (the {@code pss-}
 * rules) and the general rules' findings at or above its threshold ({@link NamespacePolicy}):
 * enforce denies with status 403 and a message listing each violation with rule id, container and
 * field; warn answers with warnings; audit writes an {@link AuditLog} record and counts the
 * violations, and adds an {@code audit-violations} audit annotation.
 *
 * <p><b>Mutating</b> ({@link #mutate(byte[])}): the {@link PodDefaulter}'s JSON patch, base64 with
 * {@code patchType: JSONPatch}, or its denial (403); without a defaulter everything is allowed
 * unchanged. A patch that is not a JSON array, or does not apply to the object as sent, is an
 * internal error (the API server would refuse it anyway, less clearly).
 *
 * <p>{@code dryRun} requests get the same answer as real ones; their only side effect is that they
 * are counted in the request metrics (labelled {@code dry_run="true"}): no audit record, no
 * violation counts. When kubeward itself fails (a rule error, a namespace lookup that fails), the
 * review is denied with the reason ({@code onError: deny}, the default) or allowed with a warning
 * ({@code onError: allow}). Thread-safe; build once and share.
 */
public final class AdmissionController {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionController.class);
    /** Plain JSON trees, for checking a defaulter's patch against the object as sent. */
    private static final JsonMapper PATCH_JSON = JsonMapper.builder().build();
    static final String VALIDATE = "validate";
    static final String MUTATE = "mutate";

    /** The engine of each review: fixed, or the current one of a reloading rule set. */
    private final Supplier<PolicyEngine> engines;
    private final AdmissionConfig config;
    private final NamespaceLabels namespaceLabels;
    private final AuditLog auditLog;
    private final AdmissionMetrics metrics;
    private final PodDefaulter defaulter;
    private final AdmissionReviewCodec codec;
    private final EvaluationOptions baseOptions;

    private AdmissionController(Builder b) {
        if (b.engines != null) {
            this.engines = b.engines;
        } else {
            PolicyEngine fixed = b.engine != null ? b.engine : PolicyEngine.builder().build();
            this.engines = () -> fixed;
        }
        this.config = b.config;
        this.namespaceLabels = b.namespaceLabels;
        this.auditLog = b.auditLog;
        this.metrics = b.metrics;
        this.defaulter = b.defaulter;
        this.codec = new AdmissionReviewCodec(b.serialization);
        this.baseOptions = b.baseOptions;
    }

    public static Builder builder() {
        return new Builder();
    }

    public AdmissionConfig config() {
        return config;
    }

    public AdmissionMetrics metrics() {
        return metrics;
    }

    public NamespaceLabels namespaceLabels() {
        return namespaceLabels;
    }

    /** True once the namespace labels and the defaulter (when there is one) can answer. */
    public boolean isReady() {
        return namespaceLabels.isReady() && (defaulter == null || defaulter.isReady());
    }

    // ---- the validating webhook

    /**
     * Answers a validating AdmissionReview body (JSON) with the response review (JSON).
     *
     * @throws InvalidReviewException when the body is not an AdmissionReview kubeward can answer
     */
    public byte[] validate(byte[] body) {
        ReviewRequest request = read(body, VALIDATE);
        return codec.write(request, validate(request));
    }

    /** Answers an {@code admission.k8s.io/v1} review. */
    public AdmissionReview validate(AdmissionReview review) {
        ReviewRequest request = read(review, VALIDATE);
        return AdmissionReviewCodec.review(request.apiVersion(), validate(request));
    }

    /** Answers an {@code admission.k8s.io/v1beta1} review in kind. */
    public io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview validate(
            io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview review) {
        return toV1beta1(validate(toV1(review)));
    }

    /** The decision on a request already read. */
    public AdmissionDecision validate(ReviewRequest request) {
        AdmissionDecision decision;
        try {
            decision = decideValidation(request);
        } catch (InvalidReviewException e) {
            metrics.request(VALIDATE, request.operation().name(), request.kind(), Result.INVALID, request.dryRun());
            throw e;
        } catch (RuntimeException e) {
            decision = failure(request, e);
        }
        metrics.request(VALIDATE, request.operation().name(), request.kind(), decision.result(), request.dryRun());
        return decision;
    }

    // ---- the mutating webhook

    /**
     * Answers a mutating AdmissionReview body (JSON) with the response review (JSON).
     *
     * @throws InvalidReviewException when the body is not an AdmissionReview kubeward can answer
     */
    public byte[] mutate(byte[] body) {
        ReviewRequest request = read(body, MUTATE);
        return codec.write(request, mutate(request, () -> sentObject(body)));
    }

    /** Answers an {@code admission.k8s.io/v1} review on the mutating path. */
    public AdmissionReview mutate(AdmissionReview review) {
        ReviewRequest request = read(review, MUTATE);
        return AdmissionReviewCodec.review(request.apiVersion(),
                mutate(request, () -> codec.serialization().convertValue(review.getRequest().getObject(), JsonNode.class)));
    }

    /** Answers an {@code admission.k8s.io/v1beta1} review on the mutating path, in kind. */
    public io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview mutate(
            io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview review) {
        return toV1beta1(mutate(toV1(review)));
    }

    /** The decision on a request already read; the patch is checked against {@code request.object()}. */
    public AdmissionDecision mutate(ReviewRequest request) {
        return mutate(request, () -> codec.serialization().convertValue(request.object(), JsonNode.class));
    }

    /**
     * @param sent the object as the API server sent it, as JSON: the defaulter's patch must apply to it,
     *             since that is what the API server applies it to (read only when there is a patch)
     */
    private AdmissionDecision mutate(ReviewRequest request, Supplier<JsonNode> sent) {
        AdmissionDecision decision;
        try {
            decision = decideMutation(request, sent);
        } catch (InvalidReviewException e) {
            metrics.request(MUTATE, request.operation().name(), request.kind(), Result.INVALID, request.dryRun());
            throw e;
        } catch (RuntimeException e) {
            decision = failure(request, e);
        }
        metrics.request(MUTATE, request.operation().name(), request.kind(), decision.result(), request.dryRun());
        return decision;
    }

    // ---- for the server: read first, then decide where to answer

    /** Reads a review body for a webhook; an invalid one is counted and thrown. */
    ReviewRequest readReview(byte[] body, String webhook) {
        return read(body, webhook);
    }

    /** True when the review can be decided without waiting on I/O (its namespace's labels are in memory). */
    boolean answersFromMemory(ReviewRequest request) {
        return namespaceLabels.inMemory(request.namespace());
    }

    /** Answers a review read by {@link #readReview}: the same bytes as {@link #validate(byte[])} or {@link #mutate(byte[])}. */
    byte[] answer(ReviewRequest request, String webhook, byte[] body) {
        return VALIDATE.equals(webhook) ? codec.write(request, validate(request))
                : codec.write(request, mutate(request, () -> sentObject(body)));
    }

    // ---- reading

    private ReviewRequest read(byte[] body, String webhook) {
        try {
            return codec.read(body);
        } catch (InvalidReviewException e) {
            metrics.request(webhook, null, null, Result.INVALID, false);
            throw e;
        }
    }

    private ReviewRequest read(AdmissionReview review, String webhook) {
        try {
            return codec.read(review);
        } catch (InvalidReviewException e) {
            metrics.request(webhook, null, null, Result.INVALID, false);
            throw e;
        }
    }

    private AdmissionReview toV1(io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview review) {
        if (review == null) {
            throw new InvalidReviewException("the review is missing");
        }
        try {
            return codec.serialization().convertValue(review, AdmissionReview.class);
        } catch (RuntimeException e) {
            throw AdmissionReviewCodec.invalid(e, "");
        }
    }

    private io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview toV1beta1(AdmissionReview review) {
        return codec.serialization().convertValue(review, io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview.class);
    }

    // ---- deciding

    /** The object to check, or empty when the request is not one kubeward checks. */
    private Optional<Workload> subject(ReviewRequest r) {
        if (r.operation() != ReviewRequest.Operation.CREATE && r.operation() != ReviewRequest.Operation.UPDATE) {
            return Optional.empty();
        }
        boolean ephemeral = r.isSubResource("ephemeralcontainers");
        if (r.subResource() != null && !ephemeral) {
            return Optional.empty(); // status, scale, binding...: not the pod spec
        }
        HasMetadata object = r.object();
        if (object == null) {
            throw new InvalidReviewException("request.object is missing; a " + r.operation() + " request carries the object");
        }
        if (ephemeral && !(object instanceof Pod)) {
            throw new InvalidReviewException("request.object of the ephemeralcontainers subresource must be a Pod, found "
                    + object.getKind());
        }
        if (!Workload.isWorkloadKind(object.getKind())) {
            return Optional.empty();
        }
        return Workload.of(object, null);
    }

    private AdmissionDecision decideValidation(ReviewRequest r) {
        Optional<Workload> subject = subject(r);
        if (subject.isEmpty()) {
            return AdmissionDecision.allow(r.uid(), Result.ALLOWED, List.of(), Map.of());
        }
        Workload workload = subject.get();
        String exempt = config.exemptions().reason(r.username(), r.namespace(), workload.getSpec().getRuntimeClassName());
        if (exempt != null) {
            return AdmissionDecision.allow(r.uid(), Result.EXEMPT, List.of(), Map.of("exempt", exempt));
        }
        if (r.operation() == ReviewRequest.Operation.UPDATE && r.subResource() == null && unchanged(workload, r.oldObject())) {
            return AdmissionDecision.allow(r.uid(), Result.ALLOWED, List.of(), Map.of());
        }
        Map<String, String> labels = Objects.requireNonNullElse(namespaceLabels.labelsOf(r.namespace()), Map.of());
        NamespacePolicy policy = NamespacePolicy.of(r.namespace(), labels, config);
        Map<Mode, List<Finding>> counted = count(workload, policy);

        // the PodSecurityPolicies' validation phase: the object as it is now must be admitted unchanged
        String policyRefusal = defaulter == null ? null : defaulter.refusal(mutationRequest(r, labels));

        List<Finding> enforced = counted.get(Mode.ENFORCE);
        List<Finding> warned = new ArrayList<>(counted.get(Mode.WARN));
        warned.removeAll(enforced); // already in the denial message
        List<Finding> audited = counted.get(Mode.AUDIT);

        List<String> warnings = new ArrayList<>(policy.problems());
        String warnPolicy = policy.mode(Mode.WARN).display();
        for (Finding f : warned) {
            warnings.add("kubeward (warn: " + warnPolicy + "): " + violation(f));
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        if (!audited.isEmpty()) {
            annotations.put("audit-violations", "kubeward (audit: " + policy.mode(Mode.AUDIT).display() + "): "
                    + String.join("; ", audited.stream().map(AdmissionController::violation).toList()));
        }
        if (!r.dryRun()) {
            if (!audited.isEmpty()) {
                auditLog.record(new AuditLog.AuditRecord(r.uid(), r.operation().name(), r.kind(), r.namespace(), workload.getName(),
                        r.username(), policy.mode(Mode.AUDIT).display(), audited));
            }
            counted.forEach((mode, findings) -> findings.forEach(f -> metrics.violation(mode, f.rule())));
        }
        if (enforced.isEmpty() && policyRefusal == null) {
            return new AdmissionDecision(r.uid(), true, 200, null, null, warnings, annotations, null, Result.ALLOWED,
                    enforced, warned, audited);
        }
        StringBuilder message = new StringBuilder(256);
        if (!enforced.isEmpty()) {
            message.append(r.display()).append(" is forbidden by kubeward (enforce: ")
                    .append(policy.mode(Mode.ENFORCE).display()).append("): ").append(enforced.size())
                    .append(enforced.size() == 1 ? " violation: " : " violations: ");
            for (int i = 0; i < enforced.size(); i++) {
                message.append(i == 0 ? "" : "; ").append(violation(enforced.get(i)));
            }
        }
        if (policyRefusal != null) {
            message.append(message.length() == 0 ? "" : "; and ").append(policyRefusal);
        }
        return new AdmissionDecision(r.uid(), false, 403, "Forbidden", message.toString(), warnings, annotations, null,
                Result.DENIED, enforced, warned, audited);
    }

    /**
     * The findings each mode counts. One evaluation per distinct profile among the modes (usually
     * one); the general rules' findings are the same in each, so they are taken from any.
     */
    private Map<Mode, List<Finding>> count(Workload workload, NamespacePolicy policy) {
        Map<Mode, List<Finding>> out = new EnumMap<>(Mode.class);
        boolean anything = false;
        for (Mode m : Mode.values()) {
            out.put(m, List.of());
            anything |= policy.mode(m).checksAnything();
        }
        if (!anything) {
            return out;
        }
        InputObject input = InputObject.of(workload.getObject());
        PolicyEngine engine = engines.get(); // one rule set for the whole review, even during a reload
        Map<PodSecurityProfile, EvaluationResult> byProfile = new HashMap<>(4);
        EvaluationResult any = null;
        for (Mode m : Mode.values()) {
            PodSecurityProfile p = policy.mode(m).profile();
            if (p != null && !byProfile.containsKey(p)) {
                any = engine.evaluate(input, baseOptions.withProfile(p));
                byProfile.put(p, any);
            }
        }
        if (any == null) {
            any = engine.evaluate(input, baseOptions.withProfile(null));
        }
        for (Mode m : Mode.values()) {
            ModePolicy mp = policy.mode(m);
            Set<Finding> findings = new LinkedHashSet<>();
            if (mp.profile() != null) {
                for (Finding f : byProfile.get(mp.profile()).findings()) {
                    if (isPodSecurityRule(f)) {
                        findings.add(f);
                    }
                }
            }
            if (mp.generalThreshold() != null) {
                for (Finding f : any.findings()) {
                    if (!isPodSecurityRule(f) && f.severity().atLeast(mp.generalThreshold())) {
                        findings.add(f);
                    }
                }
            }
            out.put(m, List.copyOf(findings));
        }
        return out;
    }

    /** The Pod Security Standards rules are the {@code pss-} ones; they count by profile, not severity. */
    static boolean isPodSecurityRule(Finding f) {
        return f.rule().startsWith("pss-");
    }

    /** An UPDATE that leaves the pod spec and pod annotations as they were changes nothing the rules check. */
    private static boolean unchanged(Workload now, HasMetadata old) {
        if (old == null || !Objects.equals(old.getKind(), now.getKind())) {
            return false;
        }
        Optional<Workload> before = Workload.of(old, null);
        return before.isPresent() && before.get().getSpec().equals(now.getSpec())
                && before.get().getPodAnnotations().equals(now.getPodAnnotations());
    }

    /** {@code [rule] container "app" at spec.containers[0].securityContext.privileged: message}. */
    static String violation(Finding f) {
        StringBuilder sb = new StringBuilder(160).append('[').append(f.rule()).append(']');
        if (f.container() != null) {
            sb.append(" container \"").append(f.container()).append('"');
        }
        if (f.path() != null) {
            sb.append(" at ").append(f.path());
        }
        return sb.append(": ").append(f.message()).toString();
    }

    private AdmissionDecision decideMutation(ReviewRequest r, Supplier<JsonNode> sent) {
        if (defaulter == null) {
            return AdmissionDecision.allow(r.uid(), Result.ALLOWED, List.of(), Map.of());
        }
        Optional<Workload> subject = subject(r);
        if (subject.isEmpty() || r.subResource() != null) {
            return AdmissionDecision.allow(r.uid(), Result.ALLOWED, List.of(), Map.of());
        }
        Workload workload = subject.get();
        String exempt = config.exemptions().reason(r.username(), r.namespace(), workload.getSpec().getRuntimeClassName());
        if (exempt != null) {
            return AdmissionDecision.allow(r.uid(), Result.EXEMPT, List.of(), Map.of("exempt", exempt));
        }
        Map<String, String> labels = Objects.requireNonNullElse(namespaceLabels.labelsOf(r.namespace()), Map.of());
        PodDefaulter.Mutation mutation = defaulter.defaults(mutationRequest(r, labels));
        if (mutation == null) {
            return AdmissionDecision.allow(r.uid(), Result.ALLOWED, List.of(), Map.of());
        }
        if (mutation.denied()) {
            return new AdmissionDecision(r.uid(), false, 403, "Forbidden", mutation.denial(), mutation.warnings(),
                    mutation.auditAnnotations(), null, Result.DENIED, List.of(), List.of(), List.of());
        }
        if (!mutation.changes()) {
            return AdmissionDecision.allow(r.uid(), Result.ALLOWED, mutation.warnings(), mutation.auditAnnotations());
        }
        JsonNode patch;
        try {
            patch = PATCH_JSON.readTree(mutation.jsonPatch());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the defaulter's patch is not JSON: " + e.getMessage(), e);
        }
        if (patch == null || !patch.isArray()) {
            throw new IllegalStateException("the defaulter's patch is not a JSON array of RFC 6902 operations");
        }
        try {
            // what the API server would do with it: a patch that does not apply fails there with a vaguer error
            io.fabric8.zjsonpatch.JsonPatch.apply(patch, sent.get());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the defaulter's patch does not apply to request.object: " + e.getMessage(), e);
        }
        return new AdmissionDecision(r.uid(), true, 200, null, null, mutation.warnings(), mutation.auditAnnotations(),
                mutation.jsonPatch(), Result.ALLOWED, List.of(), List.of(), List.of());
    }

    /** What a defaulter is asked about: the request's object, operation, namespace and requester. */
    private static PodDefaulter.MutationRequest mutationRequest(ReviewRequest r, Map<String, String> labels) {
        return new PodDefaulter.MutationRequest(r.object(), r.operation().name(), r.namespace(), labels, r.username(), r.dryRun(),
                r.groups(), r.userUid(), r.oldObject());
    }

    /** {@code request.object} of a review body already read once, as a JSON tree. */
    private static JsonNode sentObject(byte[] body) {
        return PATCH_JSON.readTree(body).path("request").path("object");
    }

    /** kubeward itself failed: fail closed (deny, with the reason) or open (allow, with a warning). */
    private AdmissionDecision failure(ReviewRequest r, RuntimeException e) {
        metrics.evaluationError();
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        LOG.warn("could not evaluate {} (uid {}): {}", r.display(), r.uid(), why);
        LOG.debug("evaluation failure", e);
        if (config.onError() == ErrorPolicy.ALLOW) {
            String warning = "kubeward could not evaluate " + r.display() + ": " + why + "; allowed because onError is allow (fail open)";
            return new AdmissionDecision(r.uid(), true, 200, null, null, List.of(warning), Map.of(), null, Result.ERROR,
                    List.of(), List.of(), List.of());
        }
        String message = "kubeward could not evaluate " + r.display() + ": " + why + "; denied because onError is deny (fail closed)";
        return new AdmissionDecision(r.uid(), false, 500, "InternalError", message, List.of(), Map.of(), null, Result.ERROR,
                List.of(), List.of(), List.of());
    }

    /** Sets up a controller. Only the engine is costly: build it once and share it. */
    public static final class Builder {
        private PolicyEngine engine;
        private Supplier<PolicyEngine> engines;
        private AdmissionConfig config = AdmissionConfig.DEFAULT;
        private NamespaceLabels namespaceLabels = NamespaceLabels.none();
        private AuditLog auditLog = AuditLog.jsonLines(System.out);
        private AdmissionMetrics metrics = new AdmissionMetrics();
        private PodDefaulter defaulter;
        private KubernetesSerialization serialization = new AdmissionSerialization();
        private EvaluationOptions baseOptions = EvaluationOptions.DEFAULT;

        private Builder() {
        }

        /**
         * Where each review takes its engine from, e.g. {@code reloading::current} of a
         * {@link io.kubeward.engine.ReloadingPolicyEngine}, so changed rules apply without a restart.
         */
        public Builder engines(Supplier<PolicyEngine> engines) {
            this.engines = engines;
            return this;
        }

        /** The rule engine; without one, the built-in rule packs are compiled (once, here). */
        public Builder engine(PolicyEngine engine) {
            this.engine = engine;
            return this;
        }

        public Builder config(AdmissionConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder namespaceLabels(NamespaceLabels lookup) {
            this.namespaceLabels = Objects.requireNonNull(lookup, "namespaceLabels");
            return this;
        }

        /** Where audit-mode violations go; by default one JSON line each on standard output. */
        public Builder auditLog(AuditLog log) {
            this.auditLog = Objects.requireNonNull(log, "auditLog");
            return this;
        }

        public Builder metrics(AdmissionMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The mutating webhook's defaulter; null (the default) allows everything unchanged. */
        public Builder defaulter(PodDefaulter defaulter) {
            this.defaulter = defaulter;
            return this;
        }

        /**
         * The fabric8 serialization reviews are read and written with. By default one that reads
         * a review's objects in one pass; one given here reads them fabric8's way, to the same
         * result, about a third slower.
         */
        public Builder serialization(KubernetesSerialization serialization) {
            this.serialization = Objects.requireNonNull(serialization, "serialization");
            return this;
        }

        /**
         * The evaluation options every review starts from (opt-in rules, a rule configuration);
         * the profile of each mode replaces theirs.
         */
        public Builder evaluationOptions(EvaluationOptions base) {
            this.baseOptions = Objects.requireNonNull(base, "evaluationOptions");
            return this;
        }

        public AdmissionController build() {
            return new AdmissionController(this);
        }
    }
}
