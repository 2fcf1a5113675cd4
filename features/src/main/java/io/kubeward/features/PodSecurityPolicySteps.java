package io.kubeward.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.model.Workload;
import io.kubeward.engine.psp.AdmissionDecision;
import io.kubeward.engine.psp.AdmissionPolicies;
import io.kubeward.engine.psp.JsonPatch;
import io.kubeward.engine.psp.PodSecurityPolicyAdmission;
import io.kubeward.engine.psp.PolicyRefusal;
import io.kubeward.engine.psp.RequestUser;
import io.kubeward.manifest.InputError;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Steps for PodSecurityPolicy-style admission: policies and who may use them, a user who creates a
 * pod, and the decision. Self-contained (Cucumber gives each step class its own instance per
 * scenario), so these steps keep their own policies and pod:
 * <pre>
 * Given the pod security policy:
 *   """ (a PodSecurityPolicy) """
 * And every authenticated user may use the pod security policy "default"
 * When user alice creates the pod:
 *   """ (a Pod) """
 * Then the pod is denied
 * And policy "default" refuses it with rule psp-privileged at field "spec.containers[0].securityContext.privileged"
 * </pre>
 */
public final class PodSecurityPolicySteps {

    private static PodSecurityPolicyAdmission shared;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ManifestReader reader = new ManifestReader();
    private final List<InputObject> policies = new ArrayList<>();
    private int grants;
    private AdmissionDecision decision;

    static synchronized PodSecurityPolicyAdmission admission() {
        if (shared == null) {
            shared = PodSecurityPolicyAdmission.withBuiltinRules();
        }
        return shared;
    }

    // ---- Given: policies and grants

    @Given("the pod security policy:")
    public void thePodSecurityPolicy(String yaml) {
        policies.addAll(valid(reader.readString("policies.yaml", yaml)));
    }

    @Given("the pod security policies and bindings:")
    public void thePoliciesAndBindings(String yaml) {
        thePodSecurityPolicy(yaml);
    }

    @Given("the pod security policies and bindings in {string}")
    public void thePoliciesAndBindingsIn(String path) {
        Path p = ScanContext.resolve(path);
        assertTrue(Files.exists(p), "no policies at " + p.toAbsolutePath());
        policies.addAll(valid(reader.read(p)));
    }

    /**
     * A policy written as its spec only; the rules the spec leaves out (runAsUser, seLinux,
     * supplementalGroups, fsGroup) are RunAsAny and, without a volumes list, every volume type is allowed.
     */
    @Given("the pod security policy {string}, otherwise permissive, with:")
    public void thePermissivePolicyWith(String name, String spec) {
        StringBuilder yaml = new StringBuilder("apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: ")
                .append(name).append("\nspec:\n");
        for (String rule : List.of("runAsUser", "seLinux", "supplementalGroups", "fsGroup")) {
            if (!spec.contains(rule + ":")) {
                yaml.append("  ").append(rule).append(": {rule: RunAsAny}\n");
            }
        }
        if (!spec.contains("volumes:")) {
            yaml.append("  volumes: ['*']\n");
        }
        spec.lines().forEach(l -> yaml.append("  ").append(l).append('\n'));
        thePodSecurityPolicy(yaml.toString());
    }

    @Given("every authenticated user may use the pod security policy {string}")
    public void everyAuthenticatedUserMayUse(String policy) {
        grant(policy, "Group", RequestUser.AUTHENTICATED, null);
    }

    @Given("user {word} may use the pod security policy {string}")
    public void userMayUse(String user, String policy) {
        grant(policy, "User", user, null);
    }

    @Given("group {word} may use the pod security policy {string}")
    public void groupMayUse(String group, String policy) {
        grant(policy, "Group", group, null);
    }

    @Given("service account {word} in namespace {word} may use the pod security policy {string}")
    public void serviceAccountMayUse(String account, String namespace, String policy) {
        grant(policy, "ServiceAccount", account, namespace);
    }

    /** A ClusterRole that may use one policy, bound to one subject. */
    private void grant(String policy, String kind, String name, String namespace) {
        grants++;
        String role = "psp-use-" + grants;
        String yaml = """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: %s}
                rules: [{apiGroups: [policy], resources: [podsecuritypolicies], resourceNames: ["%s"], verbs: [use]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: %s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %s}
                subjects: [{kind: %s, name: "%s"%s}]
                """.formatted(role, policy, role, role, kind, name, namespace == null ? "" : ", namespace: " + namespace);
        policies.addAll(valid(reader.readString("grants.yaml", yaml)));
    }

    // ---- When: a user creates a pod

    @When("user {word} creates the pod:")
    public void userCreatesThePod(String user, String yaml) {
        decide(RequestUser.of(user), valid(reader.readString("pod.yaml", yaml)));
    }

    @When("user {word} in group(s) {string} creates the pod:")
    public void userInGroupsCreatesThePod(String user, String groups, String yaml) {
        decide(RequestUser.of(user, Arrays.stream(groups.split(",")).map(String::strip).toList()),
                valid(reader.readString("pod.yaml", yaml)));
    }

    @When("user {word} creates the pod in {string}")
    public void userCreatesThePodIn(String user, String path) {
        Path p = ScanContext.resolve(path);
        assertTrue(Files.exists(p), "no manifest at " + p.toAbsolutePath());
        decide(RequestUser.of(user), valid(reader.read(p)));
    }

    private void decide(RequestUser user, List<InputObject> objects) {
        List<InputObject> pods = objects.stream().filter(o -> Workload.of(o.object(), o.source()).isPresent()).toList();
        assertEquals(1, pods.size(), "the step needs exactly one pod (or object that runs pods)");
        decision = admission().admit(pods.get(0), user, AdmissionPolicies.of(policies).requireValid());
    }

    // ---- Then: the decision

    @Then("the pod is admitted by policy {string}")
    public void admittedBy(String policy) {
        assertTrue(decision().allowed(), "the pod is denied: " + describe());
        assertEquals(policy, decision().policy(), describe());
    }

    @Then("the pod is admitted by policy {string} unchanged")
    public void admittedUnchanged(String policy) {
        admittedBy(policy);
        assertEquals(List.of(), decision().defaults(), "the admitting policy changes the pod");
        assertEquals("[]", decision().patch());
    }

    @Then("the pod is denied")
    public void denied() {
        assertFalse(decision().allowed(), "the pod is admitted by " + decision().policy());
    }

    @Then("policy {string} refuses it with rule {word}")
    public void refusesWithRule(String policy, String rule) {
        assertFalse(refusals(policy, rule).isEmpty(), "policy " + policy + " does not refuse it with " + rule + "; " + describe());
    }

    @Then("policy {string} refuses it with rule {word} at field {string}")
    public void refusesWithRuleAt(String policy, String rule, String path) {
        List<PolicyRefusal> of = refusals(policy, rule);
        if (of.stream().noneMatch(r -> r.path().equals(path))) {
            fail("policy " + policy + " does not refuse it with " + rule + " at " + path + "; " + describe());
        }
    }

    @Then("policy {string} says {string}")
    public void policySays(String policy, String text) {
        List<PolicyRefusal> of = decision().reasons().getOrDefault(policy, List.of());
        assertTrue(of.stream().anyMatch(r -> r.message().contains(text)), "no reason of " + policy + " says \"" + text + "\"; " + describe());
    }

    @Then("no policy is available to the request")
    public void noPolicyIsAvailable() {
        assertEquals(List.of(), decision().outcomes(), describe());
    }

    @Then("the admitted pod has {string} set to {string}")
    public void admittedPodHas(String path, String value) {
        assertTrue(decision().allowed(), "the pod is denied: " + describe());
        JsonNode node = at(JsonPatch.tree(decision().admitted()), path);
        assertNotNull(node, "the admitted pod has no " + path);
        String actual = node.isValueNode() ? node.asString() : node.toString();
        assertEquals(value, actual, path);
    }

    @Then("the JSON patch has an {word} of {string}")
    public void thePatchHas(String op, String pointer) {
        JsonNode patch = JSON.readTree(decision().patch());
        for (JsonNode o : patch) {
            if (o.get("op").asString().equals(op) && o.get("path").asString().equals(pointer)) {
                return;
            }
        }
        fail("the patch has no " + op + " of " + pointer + ": " + decision().patch());
    }

    @Then("the JSON patch is empty")
    public void thePatchIsEmpty() {
        assertEquals("[]", decision().patch());
    }

    // ---- helpers

    private AdmissionDecision decision() {
        if (decision == null) {
            throw new IllegalStateException("no pod was created yet: add a step such as \"When user alice creates the pod:\"");
        }
        return decision;
    }

    private List<PolicyRefusal> refusals(String policy, String rule) {
        return decision().reasons().getOrDefault(policy, List.of()).stream().filter(r -> r.rule().equals(rule)).toList();
    }

    /** A field of an object by the dotted path findings use: {@code spec.containers[0].securityContext.runAsUser}. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            String name = part.contains("[") ? part.substring(0, part.indexOf('[')) : part;
            n = n == null ? null : n.get(name);
            int i = part.indexOf('[');
            while (n != null && i >= 0) {
                int end = part.indexOf(']', i);
                n = n.get(Integer.parseInt(part.substring(i + 1, end)));
                i = part.indexOf('[', end);
            }
        }
        return n;
    }

    private String describe() {
        AdmissionDecision d = decision();
        StringBuilder sb = new StringBuilder(d.message());
        d.outcomes().forEach(o -> sb.append("\n  ").append(o.policy()).append(o.admits() ? " admits" : " refuses")
                .append(o.changesPod() ? " (changing the pod)" : "")
                .append(o.refusals().stream().map(r -> "\n    " + r.display()).collect(Collectors.joining())));
        d.notes().forEach(n -> sb.append("\n  ").append(n));
        return sb.toString();
    }

    private static List<InputObject> valid(ReadResult read) {
        assertEquals(List.of(), read.errors().stream().map(InputError::display).toList(), "the manifests must be valid input");
        return read.objects();
    }
}
