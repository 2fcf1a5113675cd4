package io.kubeward.admission;

import static io.kubeward.admission.Reviews.allowed;
import static io.kubeward.admission.Reviews.answer;
import static io.kubeward.admission.Reviews.auditAnnotations;
import static io.kubeward.admission.Reviews.bytes;
import static io.kubeward.admission.Reviews.message;
import static io.kubeward.admission.Reviews.response;
import static io.kubeward.admission.Reviews.status;
import static io.kubeward.admission.Reviews.warnings;
import static io.kubeward.admission.Reviews.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.kubeward.admission.AdmissionMetrics.Result;
import io.kubeward.engine.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdmissionControllerTest {

    static final String NS = "team-a";

    static Map<String, String> labels(String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Collects audit records instead of printing them. */
    static final class RecordingAuditLog implements AuditLog {
        final List<AuditRecord> records = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void record(AuditRecord record) {
            records.add(record);
        }
    }

    final RecordingAuditLog audit = new RecordingAuditLog();
    final AdmissionMetrics metrics = new AdmissionMetrics();

    AdmissionController controller(Map<String, String> nsLabels) {
        return controller(AdmissionConfig.DEFAULT, nsLabels);
    }

    AdmissionController controller(AdmissionConfig config, Map<String, String> nsLabels) {
        return AdmissionController.builder().engine(TestEngines.shared()).config(config)
                .namespaceLabels(NamespaceLabels.fixed(Map.of(NS, nsLabels))).auditLog(audit).metrics(metrics).build();
    }

    @Test
    void aCompliantPodIsAllowedUnderRestrictedAndTheUidIsEchoed() {
        byte[] out = controller(labels("pod-security.kubernetes.io/enforce", "restricted")).validate(bytes("pod-create-compliant.json"));
        Map<String, Object> review = answer(out);
        assertEquals("admission.k8s.io/v1", review.get("apiVersion"));
        assertEquals("AdmissionReview", review.get("kind"));
        assertEquals("4f1c8a52-9d2e-4b7a-8f0e-1a2b3c4d5e01", response(out).get("uid"));
        assertTrue(allowed(out));
        assertNull(status(out));
        assertEquals(List.of(), warnings(out));
        assertEquals(1, metrics.requests("validate", "CREATE", "Pod", Result.ALLOWED, false));
    }

    @Test
    void enforceDeniesWith403AndAMessageNamingRuleContainerAndField() {
        byte[] out = controller(labels("pod-security.kubernetes.io/enforce", "baseline")).validate(bytes("pod-create-privileged.json"));
        assertFalse(allowed(out));
        assertEquals(403, status(out).get("code"));
        assertEquals("Forbidden", status(out).get("reason"));
        String m = message(out);
        assertTrue(m.startsWith("Pod team-a/web is forbidden by kubeward (enforce: baseline:latest"), m);
        assertTrue(m.contains("[pss-test-privileged] container \"app\" at spec.containers[0].securityContext.privileged: container app is privileged"), m);
        // the built-in Pod Security Standards pack counts too, at its level only
        assertTrue(m.contains("[pss-privileged] container \"app\" at spec.containers[0].securityContext.privileged"), m);
        assertFalse(m.contains("pss-test-run-as-non-root") || m.contains("[pss-run-as-non-root]"), "restricted controls under baseline: " + m);
        assertEquals(1, metrics.requests("validate", "CREATE", "Pod", Result.DENIED, false));
        assertEquals(1, metrics.violations(Mode.ENFORCE, "pss-test-privileged"));
    }

    @Test
    void enforceListsEveryViolationOfTheProfileLevel() {
        byte[] out = controller(labels("pod-security.kubernetes.io/enforce", "restricted")).validate(bytes("pod-create-privileged.json"));
        String m = message(out);
        assertTrue(m.matches(".*: \\d+ violations: .*"), m);
        assertTrue(m.contains("[pss-test-privileged] container \"app\" at spec.containers[0].securityContext.privileged"), m);
        assertTrue(m.contains("[pss-test-run-as-non-root] container \"app\" at spec.containers[0].securityContext.runAsNonRoot"), m);
    }

    @Test
    void warnAllowsAndReturnsAWarningPerViolation() {
        byte[] out = controller(labels("pod-security.kubernetes.io/warn", "restricted")).validate(bytes("pod-create-privileged.json"));
        assertTrue(allowed(out));
        List<String> w = warnings(out);
        assertEquals(w.size(), Set.copyOf(w).size(), "one warning per violation: " + w);
        assertTrue(w.stream().anyMatch(s -> s.startsWith("kubeward (warn: restricted:latest")
                && s.contains("[pss-test-privileged] container \"app\" at spec.containers[0].securityContext.privileged")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("[pss-test-run-as-non-root]")), w.toString());
        assertTrue(audit.records.isEmpty());
    }

    @Test
    void auditRecordsAndCountsWithoutDenying() {
        byte[] out = controller(labels("pod-security.kubernetes.io/audit", "restricted", "pod-security.kubernetes.io/audit-version", "v1.30"))
                .validate(bytes("pod-create-privileged.json"));
        assertTrue(allowed(out));
        assertEquals(List.of(), warnings(out));
        String annotation = auditAnnotations(out).get("audit-violations");
        assertTrue(annotation.startsWith("kubeward (audit: restricted:v1.30"), annotation);
        assertTrue(annotation.contains("[pss-test-privileged]") && annotation.contains("[pss-test-run-as-non-root]"), annotation);
        assertEquals(1, audit.records.size());
        AuditLog.AuditRecord r = audit.records.get(0);
        assertEquals("4f1c8a52-9d2e-4b7a-8f0e-1a2b3c4d5e02", r.uid());
        assertEquals("jane@example.com", r.username());
        assertTrue(r.violations().stream().map(f -> f.rule()).toList().containsAll(List.of("pss-test-privileged", "pss-test-run-as-non-root")),
                r.violations().toString());
        assertEquals(1, metrics.violations(Mode.AUDIT, "pss-test-privileged"));
    }

    @Test
    void dryRunGetsTheSameAnswerWithoutAuditRecordsOrViolationCounts() {
        AdmissionController c = controller(labels("pod-security.kubernetes.io/audit", "restricted",
                "pod-security.kubernetes.io/enforce", "baseline"));
        byte[] out = c.validate(with("pod-create-privileged.json", "request.dryRun", true));
        assertFalse(allowed(out));
        assertTrue(message(out).contains("[pss-test-privileged]"));
        assertTrue(auditAnnotations(out).containsKey("audit-violations"));
        assertTrue(audit.records.isEmpty(), "a dryRun request writes no audit record");
        assertEquals(0, metrics.violations(Mode.AUDIT, "pss-test-privileged"));
        assertEquals(0, metrics.violations(Mode.ENFORCE, "pss-test-privileged"));
        assertEquals(1, metrics.requests("validate", "CREATE", "Pod", Result.DENIED, true));
        assertEquals(0, metrics.requests("validate", "CREATE", "Pod", Result.DENIED, false));
    }

    @Test
    void generalRulesCountFromTheirThresholdInEachMode() {
        // defaults: enforce at high, warn at medium, audit at low; no Pod Security level
        byte[] out = controller(Map.of()).validate(bytes("pod-create-host-network.json"));
        assertFalse(allowed(out));
        String m = message(out);
        assertTrue(m.contains("[host-network] at spec.hostNetwork"), m);
        assertFalse(m.contains("[host-port]"), "host-port is medium, below the enforce threshold: " + m);
        List<String> w = warnings(out);
        assertTrue(w.stream().anyMatch(s -> s.contains("[host-port] container \"agent\"")), w.toString());
        assertFalse(w.stream().anyMatch(s -> s.contains("[host-network]")), "already in the denial: " + w);
        String audited = auditAnnotations(out).get("audit-violations");
        assertTrue(audited.contains("[host-port-outside-daemonset]") && audited.contains("[host-network]"), audited);
    }

    @Test
    void aNamespaceLabelledPrivilegedOptsOutOfThatMode() {
        byte[] out = controller(labels("pod-security.kubernetes.io/enforce", "privileged")).validate(bytes("pod-create-host-network.json"));
        assertTrue(allowed(out));
        assertTrue(warnings(out).stream().anyMatch(s -> s.contains("[host-network]")), "warn mode still applies");
    }

    @Test
    void generalRulesCanBeTurnedOffPerMode() {
        AdmissionConfig config = AdmissionConfig.DEFAULT.withGeneralRules(Mode.ENFORCE, null).withGeneralRules(Mode.WARN, Severity.CRITICAL);
        byte[] out = controller(config, Map.of()).validate(bytes("pod-create-host-network.json"));
        assertTrue(allowed(out));
        assertEquals(List.of(), warnings(out));
    }

    @Test
    void configuredDefaultsApplyToNamespacesWithoutLabels() {
        AdmissionConfig config = AdmissionConfig.DEFAULT.withDefault(Mode.ENFORCE, io.kubeward.engine.PodSecurityProfile.of("baseline", "v1.28"));
        byte[] out = controller(config, Map.of()).validate(bytes("pod-create-privileged.json"));
        assertFalse(allowed(out));
        assertTrue(message(out).contains("(enforce: baseline:v1.28; general rules at high or above)"), message(out));
    }

    @Test
    void anInvalidLabelIsEvaluatedAsRestrictedLatestWithAWarning() {
        byte[] out = controller(labels("pod-security.kubernetes.io/enforce", "strict")).validate(bytes("pod-create-privileged.json"));
        assertFalse(allowed(out));
        assertTrue(message(out).contains("(enforce: restricted:latest"), message(out));
        assertTrue(warnings(out).stream().anyMatch(s -> s.contains("label pod-security.kubernetes.io/enforce=strict")), warnings(out).toString());
    }

    @ParameterizedTest
    @CsvSource({
        "username, jane@example.com, , , username",
        "namespace, , team-a, , namespace",
        "runtimeClass, , , gvisor, runtimeClass"})
    void exemptRequestsAreAllowedUnchecked(String what, String user, String ns, String runtimeClass, String reason) {
        AdmissionConfig config = AdmissionConfig.DEFAULT.withExemptions(new Exemptions(
                user == null ? Set.of() : Set.of(user), ns == null ? Set.of() : Set.of(ns),
                runtimeClass == null ? Set.of() : Set.of(runtimeClass)));
        AdmissionController c = controller(config, labels("pod-security.kubernetes.io/enforce", "restricted"));
        byte[] body = runtimeClass == null ? bytes("pod-create-privileged.json")
                : with("pod-create-privileged.json", "request.object.spec.runtimeClassName", runtimeClass);
        byte[] out = c.validate(body);
        assertTrue(allowed(out), what);
        assertEquals(reason, auditAnnotations(out).get("exempt"));
        assertEquals(1, metrics.requests("validate", "CREATE", "Pod", Result.EXEMPT, false));
        // not exempt without the matching user, namespace or class
        byte[] other = c.validate(with("pod-create-privileged.json", "request.userInfo.username", "someone-else"));
        assertEquals(what.equals("namespace"), allowed(other), what);
    }

    @ParameterizedTest
    @CsvSource({"pod-delete.json, DELETE", "pod-connect-exec.json, CONNECT", "pod-update-status.json, UPDATE"})
    void deleteConnectAndOtherSubresourcesAreAllowedUnchecked(String fixture, String operation) {
        byte[] out = controller(labels("pod-security.kubernetes.io/enforce", "restricted")).validate(bytes(fixture));
        assertTrue(allowed(out));
        assertEquals(List.of(), warnings(out));
        assertEquals(1, metrics.requests("validate", operation, "Pod".equals(operation) ? "Pod" : kindOf(fixture), Result.ALLOWED, false));
    }

    private static String kindOf(String fixture) {
        return fixture.contains("connect") ? "PodExecOptions" : "Pod";
    }

    @Test
    void aDebugContainerDoesNotSlipPast() {
        byte[] out = controller(labels("pod-security.kubernetes.io/enforce", "baseline")).validate(bytes("pod-ephemeralcontainers.json"));
        assertFalse(allowed(out));
        assertTrue(message(out).contains("[pss-test-privileged] container \"debugger-x7k2q\" at spec.ephemeralContainers[0].securityContext.privileged"),
                message(out));
    }

    @Test
    void aDebugContainerOfAnOldApiServerIsCheckedToo() {
        Map<String, Object> tree = Reviews.tree("pod-ephemeralcontainers.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) tree.get("request")).get("object");
        @SuppressWarnings("unchecked")
        Object eph = ((Map<String, Object>) pod.get("spec")).get("ephemeralContainers");
        Reviews.set(tree, "request.object", Map.of("kind", "EphemeralContainers", "apiVersion", "v1",
                "metadata", pod.get("metadata"), "ephemeralContainers", eph));
        Reviews.set(tree, "request.kind", Map.of("group", "", "version", "v1", "kind", "EphemeralContainers"));
        Reviews.set(tree, "request.oldObject", null);
        byte[] out = controller(labels("pod-security.kubernetes.io/enforce", "baseline")).validate(Reviews.json(tree));
        assertFalse(allowed(out));
        assertTrue(message(out).contains("container \"debugger-x7k2q\" at spec.ephemeralContainers[0].securityContext.privileged"), message(out));
    }

    @Test
    void anUpdateThatLeavesThePodSpecAloneIsAllowedAndOneThatChangesItIsChecked() {
        AdmissionController c = controller(labels("pod-security.kubernetes.io/enforce", "baseline"));
        assertTrue(allowed(c.validate(bytes("pod-update-labels.json"))), "a label edit of a running pod");
        assertFalse(allowed(c.validate(bytes("pod-update-image.json"))), "a new image is a new pod spec");
        assertTrue(allowed(c.validate(bytes("deployment-update-replicas.json"))), "a scale of an existing Deployment");
        byte[] changed = c.validate(bytes("deployment-update-template.json"));
        assertFalse(allowed(changed));
        assertTrue(message(changed).contains("at spec.template.spec.containers[0].securityContext.privileged"), message(changed));
    }

    @ParameterizedTest
    @CsvSource({
        "deployment-create.json, Deployment team-a/web, spec.template.spec.containers[0]",
        "statefulset-create.json, StatefulSet team-a/web, spec.template.spec.containers[0]",
        "daemonset-create.json, DaemonSet team-a/web, spec.template.spec.containers[0]",
        "replicaset-create.json, ReplicaSet team-a/web-6d4cf56db6, spec.template.spec.containers[0]",
        "job-create.json, Job team-a/web-migrate, spec.template.spec.containers[0]",
        "cronjob-create.json, CronJob team-a/web-report, spec.jobTemplate.spec.template.spec.containers[0]",
        "replicationcontroller-create.json, ReplicationController team-a/web, spec.template.spec.containers[0]",
        "podtemplate-create.json, PodTemplate team-a/web, template.spec.containers[0]"})
    void everyWorkloadKindIsCheckedThroughItsPodTemplate(String fixture, String display, String container) {
        byte[] out = controller(labels("pod-security.kubernetes.io/enforce", "baseline")).validate(bytes(fixture));
        assertFalse(allowed(out), fixture);
        assertTrue(message(out).startsWith(display + " is forbidden"), message(out));
        assertTrue(message(out).contains("container \"app\" at " + container + ".securityContext.privileged"), message(out));
    }

    @Test
    void v1beta1IsAnsweredInKind() {
        AdmissionController c = controller(labels("pod-security.kubernetes.io/enforce", "baseline"));
        byte[] out = c.validate(bytes("pod-create-privileged-v1beta1.json"));
        assertEquals("admission.k8s.io/v1beta1", answer(out).get("apiVersion"));
        assertEquals("4f1c8a52-9d2e-4b7a-8f0e-1a2b3c4d5e04", response(out).get("uid"));
        assertFalse(allowed(out));
        assertTrue(message(out).contains("[pss-test-privileged]"));
        byte[] dep = c.validate(bytes("deployment-create-v1beta1.json"));
        assertEquals("admission.k8s.io/v1beta1", answer(dep).get("apiVersion"));
        assertFalse(allowed(dep));
    }

    @Test
    void theTypedApiTakesAndGivesFabric8Reviews() {
        AdmissionController c = controller(labels("pod-security.kubernetes.io/enforce", "baseline"));
        AdmissionReview in = Reviews.JSON.unmarshal(new String(bytes("pod-create-privileged.json"), StandardCharsets.UTF_8), AdmissionReview.class);
        AdmissionReview out = c.validate(in);
        assertEquals("4f1c8a52-9d2e-4b7a-8f0e-1a2b3c4d5e02", out.getResponse().getUid());
        assertFalse(out.getResponse().getAllowed());
        assertEquals(403, out.getResponse().getStatus().getCode());

        io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview beta = Reviews.JSON.unmarshal(
                new String(bytes("pod-create-privileged-v1beta1.json"), StandardCharsets.UTF_8),
                io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview.class);
        io.fabric8.kubernetes.api.model.admission.v1beta1.AdmissionReview betaOut = c.validate(beta);
        assertEquals("admission.k8s.io/v1beta1", betaOut.getApiVersion());
        assertFalse(betaOut.getResponse().getAllowed());
    }

    @Test
    void aFailingRuleFailsClosedByDefault() {
        AdmissionController c = controller(labels("pod-security.kubernetes.io/enforce", "baseline"));
        byte[] out = c.validate(with("pod-create-compliant.json", "request.object.metadata.annotations", Map.of("kubeward.test/fail", "true")));
        assertFalse(allowed(out));
        assertEquals(500, status(out).get("code"));
        assertTrue(message(out).contains("rule failure requested by the test annotation"), message(out));
        assertTrue(message(out).contains("denied because onError is deny"), message(out));
        assertEquals(1, metrics.evaluationErrors());
        assertEquals(1, metrics.requests("validate", "CREATE", "Pod", Result.ERROR, false));
    }

    @Test
    void aFailingRuleFailsOpenWhenConfigured() {
        AdmissionController c = controller(AdmissionConfig.DEFAULT.withOnError(ErrorPolicy.ALLOW), Map.of());
        byte[] out = c.validate(with("pod-create-compliant.json", "request.object.metadata.annotations", Map.of("kubeward.test/fail", "true")));
        assertTrue(allowed(out));
        assertTrue(warnings(out).get(0).contains("allowed because onError is allow"), warnings(out).toString());
        assertEquals(1, metrics.evaluationErrors());
    }

    @Test
    void aFailingNamespaceLookupFailsClosed() {
        AdmissionController c = AdmissionController.builder().engine(TestEngines.shared()).metrics(metrics).auditLog(audit)
                .namespaceLabels(ns -> {
                    throw new IllegalStateException("namespace cache not reachable");
                }).build();
        byte[] out = c.validate(bytes("pod-create-compliant.json"));
        assertFalse(allowed(out));
        assertTrue(message(out).contains("namespace cache not reachable"), message(out));
    }

    @Test
    void theMutatingPathAnswersTheDefaultersPatchInBase64() {
        String patch = "[{\"op\":\"add\",\"path\":\"/spec/securityContext/runAsNonRoot\",\"value\":true}]";
        List<PodDefaulter.MutationRequest> seen = new ArrayList<>();
        AdmissionController c = AdmissionController.builder().engine(TestEngines.shared()).metrics(metrics).auditLog(audit)
                .namespaceLabels(NamespaceLabels.fixed(Map.of(NS, labels("team", "shop"))))
                .defaulter(r -> {
                    seen.add(r);
                    return new PodDefaulter.Mutation(null, patch, List.of("runAsNonRoot defaulted to true"));
                }).build();
        byte[] out = c.mutate(bytes("pod-create-privileged.json"));
        assertTrue(allowed(out));
        assertEquals("JSONPatch", response(out).get("patchType"));
        assertEquals(patch, Reviews.patch(out));
        assertEquals(List.of("runAsNonRoot defaulted to true"), warnings(out));
        assertEquals("shop", seen.get(0).namespaceLabels().get("team"));
        assertEquals("web", seen.get(0).object().getMetadata().getName());
        // v1beta1 in kind, and nothing to patch on DELETE
        byte[] beta = c.mutate(bytes("pod-create-privileged-v1beta1.json"));
        assertEquals("admission.k8s.io/v1beta1", answer(beta).get("apiVersion"));
        assertEquals(patch, Reviews.patch(beta));
        byte[] delete = c.mutate(bytes("pod-delete.json"));
        assertTrue(allowed(delete));
        assertNull(response(delete).get("patch"));
        assertNull(response(delete).get("patchType"));
        assertEquals(2, metrics.requests("mutate", "CREATE", "Pod", Result.ALLOWED, false));
    }

    @Test
    void withoutADefaulterTheMutatingPathAllowsUnchanged() {
        byte[] out = controller(Map.of()).mutate(bytes("deployment-create.json"));
        assertTrue(allowed(out));
        assertNull(response(out).get("patch"));
    }

    @Test
    void aDefaulterThatFailsOrAnswersGarbageFailsClosed() {
        AdmissionController failing = AdmissionController.builder().engine(TestEngines.shared()).metrics(metrics)
                .defaulter(r -> {
                    throw new IllegalStateException("defaults unavailable");
                }).build();
        byte[] out = failing.mutate(bytes("pod-create-compliant.json"));
        assertFalse(allowed(out));
        assertTrue(message(out).contains("defaults unavailable"), message(out));
        AdmissionController garbage = AdmissionController.builder().engine(TestEngines.shared()).metrics(metrics)
                .defaulter(r -> new PodDefaulter.Mutation(null, "{\"op\":\"add\"}", List.of())).build();
        byte[] g = garbage.mutate(bytes("pod-create-compliant.json"));
        assertFalse(allowed(g));
        assertTrue(message(g).contains("not a JSON array"), message(g));
    }

    @Test
    void theDefaulterSeesTheRequestersGroupsUidAndTheOldObject() {
        List<PodDefaulter.MutationRequest> seen = new ArrayList<>();
        AdmissionController c = AdmissionController.builder().engine(TestEngines.shared()).metrics(metrics).auditLog(audit)
                .defaulter(r -> {
                    seen.add(r);
                    return PodDefaulter.Mutation.NONE;
                }).build();
        c.mutate(with("pod-update-image.json", "request.userInfo.uid", "4e2b61d8-uid"));
        PodDefaulter.MutationRequest r = seen.get(0);
        assertEquals("jane@example.com", r.username());
        assertEquals(List.of("developers", "system:authenticated"), r.groups());
        assertEquals("4e2b61d8-uid", r.userUid());
        assertTrue(r.isUpdate());
        assertEquals("nginx:1.27", ((io.fabric8.kubernetes.api.model.Pod) r.oldObject()).getSpec().getContainers().get(0).getImage());
        assertEquals("nginx:1.28", ((io.fabric8.kubernetes.api.model.Pod) r.object()).getSpec().getContainers().get(0).getImage());
    }

    @Test
    void aDefaultersDenialIsAnswered403WithItsMessage() {
        AdmissionController c = AdmissionController.builder().engine(TestEngines.shared()).metrics(metrics).auditLog(audit)
                .defaulter(r -> PodDefaulter.Mutation.deny("no policy admits " + r.object().getMetadata().getName(),
                        List.of("tried two"), Map.of("psp-tried", "a,b"))).build();
        byte[] out = c.mutate(bytes("pod-create-privileged.json"));
        assertFalse(allowed(out));
        assertEquals(403, status(out).get("code"));
        assertEquals("Forbidden", status(out).get("reason"));
        assertEquals("no policy admits web", message(out));
        assertEquals(List.of("tried two"), warnings(out));
        assertEquals(Map.of("psp-tried", "a,b"), auditAnnotations(out));
        assertNull(response(out).get("patch"));
        assertEquals(1, metrics.requests("mutate", "CREATE", "Pod", Result.DENIED, false));
    }

    @Test
    void aPatchThatDoesNotApplyToTheObjectAsSentFailsAsConfigured() {
        // pod-create-compliant.json has no spec.hostAliases: adding below it cannot apply
        PodDefaulter wrongPath = r -> new PodDefaulter.Mutation(null, "[{\"op\":\"add\",\"path\":\"/spec/hostAliases/0/ip\",\"value\":\"10.0.0.1\"}]", List.of());
        byte[] closed = AdmissionController.builder().engine(TestEngines.shared()).metrics(metrics).defaulter(wrongPath).build()
                .mutate(bytes("pod-create-compliant.json"));
        assertFalse(allowed(closed));
        assertEquals(500, status(closed).get("code"));
        assertTrue(message(closed).contains("the defaulter's patch does not apply to request.object"), message(closed));
        byte[] open = AdmissionController.builder().engine(TestEngines.shared()).metrics(metrics).defaulter(wrongPath)
                .config(AdmissionConfig.DEFAULT.withOnError(ErrorPolicy.ALLOW)).build().mutate(bytes("pod-create-compliant.json"));
        assertTrue(allowed(open));
        assertNull(response(open).get("patch"), "a patch that does not apply is never answered");
        assertTrue(warnings(open).get(0).contains("does not apply to request.object"), warnings(open).toString());
    }

    @Test
    void theTypedApiChecksThePatchAgainstTheObjectOfTheReviewToo() {
        AdmissionReview review = Reviews.JSON.unmarshal(new String(bytes("pod-create-compliant.json"), StandardCharsets.UTF_8),
                AdmissionReview.class);
        PodDefaulter fits = r -> new PodDefaulter.Mutation(null, "[{\"op\":\"add\",\"path\":\"/spec/hostname\",\"value\":\"web-0\"}]", List.of());
        AdmissionReview ok = AdmissionController.builder().engine(TestEngines.shared()).metrics(metrics).defaulter(fits).build().mutate(review);
        assertTrue(ok.getResponse().getAllowed());
        assertEquals("JSONPatch", ok.getResponse().getPatchType());
        PodDefaulter misses = r -> new PodDefaulter.Mutation(null, "[{\"op\":\"replace\",\"path\":\"/spec/hostname\",\"value\":\"web-0\"}]", List.of());
        AdmissionReview bad = AdmissionController.builder().engine(TestEngines.shared()).metrics(metrics).defaulter(misses).build().mutate(review);
        assertFalse(bad.getResponse().getAllowed(), "replace needs the member to exist");
        assertTrue(bad.getResponse().getStatus().getMessage().contains("does not apply to request.object"), bad.getResponse().getStatus().getMessage());
    }

    @Test
    void badInputIsRefusedWithAMessageNamingTheField() {
        AdmissionController c = controller(Map.of());
        assertEquals("request is missing: an AdmissionReview sent to a webhook carries a request",
                assertThrows(InvalidReviewException.class, () -> c.validate(with("pod-create-compliant.json", "request", null))).getMessage());
        assertEquals("request.uid is missing: the answer must echo it",
                assertThrows(InvalidReviewException.class, () -> c.validate(with("pod-create-compliant.json", "request.uid", null))).getMessage());
        assertTrue(assertThrows(InvalidReviewException.class, () -> c.validate("{\"apiVersion\": ".getBytes(StandardCharsets.UTF_8)))
                .getMessage().startsWith("malformed JSON"));
        String shape = assertThrows(InvalidReviewException.class,
                () -> c.validate(with("pod-create-compliant.json", "request.object.spec.containers", "nginx"))).getMessage();
        assertTrue(shape.startsWith("request.object.spec.containers: wrong shape"), shape);
        String object = assertThrows(InvalidReviewException.class,
                () -> c.validate(with("pod-create-compliant.json", "request.object", List.of(1, 2)))).getMessage();
        assertTrue(object.startsWith("request.object: wrong shape"), object);
        String string = assertThrows(InvalidReviewException.class,
                () -> c.validate(with("pod-create-compliant.json", "request.object", "pod"))).getMessage();
        assertTrue(string.startsWith("request.object"), string);
        assertTrue(assertThrows(InvalidReviewException.class,
                () -> c.validate(with("pod-create-compliant.json", "apiVersion", "admission.k8s.io/v2"))).getMessage()
                .contains("'admission.k8s.io/v2' is not admission.k8s.io/v1 or admission.k8s.io/v1beta1"));
        assertTrue(assertThrows(InvalidReviewException.class,
                () -> c.validate(with("pod-create-compliant.json", "request.operation", "PATCH"))).getMessage()
                .contains("request.operation 'PATCH' is not CREATE, UPDATE, DELETE or CONNECT"));
        assertEquals("request.object is missing; a CREATE request carries the object",
                assertThrows(InvalidReviewException.class, () -> c.validate(with("pod-create-compliant.json", "request.object", null))).getMessage());
        assertEquals("the request body is not a JSON object; expected an AdmissionReview",
                assertThrows(InvalidReviewException.class, () -> c.validate("[1]".getBytes(StandardCharsets.UTF_8))).getMessage());
        assertTrue(assertThrows(InvalidReviewException.class,
                () -> c.validate(with("pod-create-compliant.json", "request.object.kind", "Deployment"))).getMessage()
                .contains("request.object is a Deployment but request.kind says Pod"));
        assertTrue(metrics.requests("validate", "unknown", null, Result.INVALID, false) >= 5);
    }
}
