package io.kubeward.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeward.admission.AdmissionConfig;
import io.kubeward.admission.AdmissionController;
import io.kubeward.admission.AdmissionDecision;
import io.kubeward.admission.AdmissionMetrics;
import io.kubeward.admission.AuditLog;
import io.kubeward.admission.NamespaceLabels;
import io.kubeward.admission.ReviewRequest;
import io.kubeward.engine.Finding;
import io.kubeward.engine.InputObject;
import io.kubeward.manifest.InputError;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Steps for the admission webhook's decisions, taken in process through {@link AdmissionController}
 * with the built-in rules: namespaces and their Pod Security Admission labels, the configuration,
 * a request (create, update, the ephemeral containers of a pod, delete, dry run) and the answer:
 * <pre>
 * Given namespace "shop" has the label "pod-security.kubernetes.io/enforce=restricted"
 * When the webhook reviews the creation of:
 *   """ (a Pod or a workload) """
 * Then the webhook denies it
 * And the denial names rule pss-privileged at field "spec.containers[0].securityContext.privileged"
 * </pre>
 * Self-contained: each scenario gets its own namespaces, configuration and answer.
 */
public final class AdmissionSteps {

    private final ManifestReader reader = new ManifestReader();
    private final Map<String, Map<String, String>> namespaces = new LinkedHashMap<>();
    private final List<AuditLog.AuditRecord> audit = new ArrayList<>();
    private AdmissionConfig config = AdmissionConfig.DEFAULT;
    private HasMetadata existing;
    private AdmissionDecision decision;
    private AdmissionController controller;

    // ---- Given: namespaces, configuration, what exists

    @Given("namespace {string} has the label {string}")
    public void namespaceHasTheLabel(String namespace, String label) {
        int eq = label.indexOf('=');
        assertTrue(eq > 0, "a label is written key=value: " + label);
        namespaces.computeIfAbsent(namespace, n -> new LinkedHashMap<>()).put(label.substring(0, eq).strip(), label.substring(eq + 1).strip());
        controller = null;
    }

    @Given("namespace {string} has no labels")
    public void namespaceHasNoLabels(String namespace) {
        namespaces.put(namespace, new LinkedHashMap<>());
        controller = null;
    }

    @Given("the admission configuration:")
    public void theAdmissionConfiguration(String yaml) {
        config = AdmissionConfig.parse(yaml, "admission configuration");
        controller = null;
    }

    @Given("the object already exists:")
    public void theObjectAlreadyExists(String yaml) {
        existing = one(reader.readString("existing.yaml", yaml));
    }

    // ---- When: a request

    @When("the webhook reviews the creation of:")
    public void reviewsTheCreationOf(String yaml) {
        review("CREATE", null, one(reader.readString("object.yaml", yaml)), null, "alice", false);
    }

    @When("user {word} asks the webhook to create:")
    public void userAsksToCreate(String user, String yaml) {
        review("CREATE", null, one(reader.readString("object.yaml", yaml)), null, user, false);
    }

    @When("the webhook reviews the creation of {string}")
    public void reviewsTheCreationOfFile(String path) {
        Path p = ScanContext.resolve(path);
        assertTrue(Files.exists(p), "no manifest at " + p.toAbsolutePath());
        review("CREATE", null, one(reader.read(p)), null, "alice", false);
    }

    /** One object, named {@code Kind/namespace/name}, of the manifests in a file or folder. */
    @When("the webhook reviews the creation of {string} from {string}")
    public void reviewsTheCreationOfOneOf(String ref, String path) {
        Path p = ScanContext.resolve(path);
        assertTrue(Files.exists(p), "no manifests at " + p.toAbsolutePath());
        ReadResult read = reader.read(p);
        assertEquals(List.of(), read.errors().stream().map(InputError::display).toList(), "the manifests must be valid input");
        List<InputObject> named = read.objects().stream().filter(o -> o.ref().display().equals(ref)).toList();
        assertEquals(1, named.size(), () -> "no single " + ref + " in " + p + "; it has "
                + read.objects().stream().map(o -> o.ref().display()).collect(Collectors.joining(", ")));
        review("CREATE", null, named.get(0).object(), null, "alice", false);
    }

    @When("the webhook reviews a dry run creating:")
    public void reviewsADryRun(String yaml) {
        review("CREATE", null, one(reader.readString("object.yaml", yaml)), null, "alice", true);
    }

    @When("the webhook reviews its update to:")
    public void reviewsTheUpdateTo(String yaml) {
        assertNotNull(existing, "an update needs 'Given the object already exists:' first");
        review("UPDATE", null, one(reader.readString("object.yaml", yaml)), existing, "alice", false);
    }

    /** {@code kubectl debug}: the pod with a container added under spec.ephemeralContainers. */
    @When("the webhook reviews its ephemeral containers update to:")
    public void reviewsTheEphemeralContainersUpdateTo(String yaml) {
        assertNotNull(existing, "an update needs 'Given the object already exists:' first");
        review("UPDATE", "ephemeralcontainers", one(reader.readString("object.yaml", yaml)), existing, "alice", false);
    }

    @When("the webhook reviews its deletion")
    public void reviewsItsDeletion() {
        assertNotNull(existing, "a deletion needs 'Given the object already exists:' first");
        review("DELETE", null, null, existing, "alice", false);
    }

    private void review(String operation, String subResource, HasMetadata object, HasMetadata old, String user, boolean dryRun) {
        HasMetadata about = object != null ? object : old;
        String namespace = about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
        if (controller == null) {
            // once per scenario, or again after a Given step changed the namespaces or the configuration
            controller = AdmissionController.builder().engine(ScanContext.sharedEngine()).config(config)
                    .namespaceLabels(NamespaceLabels.fixed(namespaces)).auditLog(audit::add).metrics(new AdmissionMetrics()).build();
        }
        String kind = about.getKind();
        ReviewRequest request = new ReviewRequest("admission.k8s.io/v1", UUID.randomUUID().toString(), kind,
                kind.toLowerCase(Locale.ROOT) + "s", subResource, ReviewRequest.Operation.valueOf(operation), namespace,
                about.getMetadata().getName(), object, old, user, dryRun,
                List.of("system:authenticated"), null);
        decision = controller.validate(request);
    }

    // ---- Then: the answer

    @Then("the webhook allows it")
    public void allows() {
        assertTrue(decision().allowed(), "denied: " + decision().message());
    }

    @Then("the webhook denies it")
    public void denies() {
        assertFalse(decision().allowed(), "allowed; " + describe());
        assertEquals(403, decision().code());
    }

    @Then("the denial names rule {word} at field {string}")
    public void theDenialNames(String rule, String field) {
        denies();
        named(decision().enforced(), rule, field, "the denial");
        assertTrue(decision().message().contains("[" + rule + "]") && decision().message().contains(field), decision().message());
    }

    @Then("the denial says {string}")
    public void theDenialSays(String text) {
        denies();
        assertTrue(decision().message().contains(text), "the denial says: " + decision().message());
    }

    @Then("the denial does not name rule {word}")
    public void theDenialDoesNotName(String rule) {
        assertTrue(decision().enforced().stream().noneMatch(f -> f.rule().equals(rule)), describe());
    }

    @Then("the webhook warns with rule {word} at field {string}")
    public void warnsWith(String rule, String field) {
        named(decision().warned(), rule, field, "the warnings");
        assertTrue(decision().warnings().stream().anyMatch(w -> w.contains("[" + rule + "]") && w.contains(field)),
                "warnings: " + decision().warnings());
    }

    @Then("the webhook gives no warning")
    public void noWarning() {
        assertEquals(List.of(), decision().warnings());
    }

    @Then("the webhook records rule {word} for audit")
    public void recordsForAudit(String rule) {
        named(decision().audited(), rule, null, "the audit");
        assertTrue(decision().auditAnnotations().getOrDefault("audit-violations", "").contains("[" + rule + "]"),
                "audit annotations: " + decision().auditAnnotations());
        assertTrue(audit.stream().anyMatch(r -> r.violations().stream().anyMatch(f -> f.rule().equals(rule))),
                "no audit log record names " + rule);
    }

    @Then("nothing is recorded for audit")
    public void nothingRecorded() {
        assertEquals(List.of(), audit, "audit log records");
    }

    @Then("the webhook exempts it because {string}")
    public void exempts(String why) {
        allows();
        assertEquals(AdmissionMetrics.Result.EXEMPT, decision().result(), describe());
        assertTrue(decision().auditAnnotations().getOrDefault("exempt", "").contains(why),
                "exempt because: " + decision().auditAnnotations().get("exempt"));
    }

    private static void named(List<Finding> findings, String rule, String field, String where) {
        if (findings.stream().noneMatch(f -> f.rule().equals(rule) && (field == null || field.equals(f.path())))) {
            fail(where + " does not name rule " + rule + (field == null ? "" : " at " + field) + "; it has: "
                    + findings.stream().map(f -> f.rule() + " at " + f.path()).collect(Collectors.joining(", ")));
        }
    }

    private AdmissionDecision decision() {
        assertNotNull(decision, "no request was reviewed: a 'When the webhook reviews ...' step comes first");
        return decision;
    }

    private String describe() {
        return "allowed " + decision.allowed() + ", message " + decision.message() + ", warnings " + decision.warnings()
                + ", audit " + decision.auditAnnotations();
    }

    private static HasMetadata one(ReadResult read) {
        assertEquals(List.of(), read.errors().stream().map(InputError::display).toList(), "the manifest must be valid input");
        List<InputObject> objects = read.objects();
        assertEquals(1, objects.size(), "the step takes exactly one object");
        return objects.get(0).object();
    }
}
