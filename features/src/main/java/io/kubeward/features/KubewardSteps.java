package io.kubeward.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.kubeward.engine.Finding;
import io.kubeward.engine.NodeExposure;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.Severity;
import io.kubeward.engine.network.Connectivity;
import io.kubeward.engine.network.Explanation;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The reusable step library. A team adds kubeward-features as a test dependency, points Cucumber's
 * glue at {@code io.kubeward.features}, and writes scenarios against its own manifests:
 * <pre>
 * Given the manifest "deploy/app.yaml"
 * When it is scanned
 * Then no finding of severity high or above is reported
 * </pre>
 * Resources are named {@code Kind/namespace/name}, or {@code Kind/name} when the manifest sets no namespace.
 */
public final class KubewardSteps {

    private final ScanContext context = new ScanContext();

    // ---- Given

    @Given("the manifest {string}")
    public void theManifestFile(String path) {
        var p = ScanContext.resolve(path);
        assertTrue(Files.exists(p), "no manifest at " + p.toAbsolutePath());
        context.add(context.reader().read(p));
    }

    @Given("the manifests in {string}")
    public void theManifestsIn(String folder) {
        theManifestFile(folder);
    }

    @Given("the manifest:")
    public void theManifest(String yaml) {
        context.add(context.reader().readString("scenario.yaml", yaml));
    }

    @Given("the rules in {string}")
    public void theRulesIn(String folder) {
        context.addRuleDirectory(ScanContext.resolve(folder));
    }

    @Given("the Pod Security profile {string}")
    public void thePodSecurityProfile(String profile) {
        String[] parts = profile.split(":", 2);
        context.options(context.options().withProfile(PodSecurityProfile.of(parts[0], parts.length > 1 ? parts[1] : "latest")));
    }

    @Given("the opt-in rule(s) {string} is/are enabled")
    public void theOptInRulesAreEnabled(String ids) {
        context.options(context.options().withOptInRules(
                java.util.Arrays.stream(ids.split(",")).map(String::strip).filter(id -> !id.isEmpty()).toList()));
    }

    // ---- When

    @When("it is scanned")
    public void itIsScanned() {
        assertEquals(List.of(), context.errors().stream().map(e -> e.display()).toList(), "the manifests must be valid input");
        context.evaluate();
    }

    @When("the manifests are scanned")
    public void theManifestsAreScanned() {
        itIsScanned();
    }

    @When("it is scanned with the {word} profile")
    public void itIsScannedWithTheProfile(String level) {
        thePodSecurityProfile(level);
        itIsScanned();
    }

    @When("it is read")
    public void itIsRead() {
        context.evaluate();
    }

    // ---- Then: findings

    @Then("rule {word} reports field {string} of {string}")
    public void ruleReportsFieldOf(String rule, String path, String resource) {
        List<Finding> of = findings(rule, resource);
        if (of.stream().noneMatch(f -> f.path().equals(path))) {
            fail("rule " + rule + " does not report " + path + " of " + resource + "; it reports "
                    + of.stream().map(Finding::path).toList() + "\nall findings:\n" + describe(context.result().findings()));
        }
    }

    @Then("rule {word} reports {string}")
    public void ruleReports(String rule, String resource) {
        assertFalse(findings(rule, resource).isEmpty(), "rule " + rule + " does not report " + resource
                + "\nall findings:\n" + describe(context.result().findings()));
    }

    @Then("rule {word} does not report {string}")
    public void ruleDoesNotReport(String rule, String resource) {
        List<Finding> of = findings(rule, resource);
        assertTrue(of.isEmpty(), "rule " + rule + " reports " + resource + ":\n" + describe(of));
    }

    @Then("rule {word} reports nothing")
    public void ruleReportsNothing(String rule) {
        List<Finding> of = context.result().findings().stream().filter(f -> f.rule().equals(rule)).toList();
        assertTrue(of.isEmpty(), "rule " + rule + " reports:\n" + describe(of));
    }

    @Then("rule {word} reports {string} with severity {word}")
    public void ruleReportsWithSeverity(String rule, String resource, String severity) {
        Severity expected = Severity.parse(severity);
        List<Finding> of = findings(rule, resource);
        assertTrue(of.stream().anyMatch(f -> f.severity() == expected),
                "rule " + rule + " on " + resource + " has severities " + of.stream().map(Finding::severity).toList());
    }

    @Then("rule {word} says {string}")
    public void ruleSays(String rule, String text) {
        List<Finding> of = context.result().findings().stream().filter(f -> f.rule().equals(rule)).toList();
        assertTrue(of.stream().anyMatch(f -> f.message().contains(text)),
                "no message of rule " + rule + " contains \"" + text + "\":\n" + describe(of));
    }

    @Then("no finding is reported")
    public void noFindingIsReported() {
        assertTrue(context.result().findings().isEmpty(), "findings:\n" + describe(context.result().findings()));
    }

    @Then("no finding of severity {word} or above is reported")
    public void noFindingOfSeverityOrAbove(String severity) {
        List<Finding> of = context.result().findingsAtLeast(Severity.parse(severity));
        assertTrue(of.isEmpty(), "findings at or above " + severity + ":\n" + describe(of));
    }

    @Then("{int} finding(s) of rule {word} is/are reported")
    public void countOfRule(int count, String rule) {
        List<Finding> of = context.result().findings().stream().filter(f -> f.rule().equals(rule)).toList();
        assertEquals(count, of.size(), describe(of));
    }

    @Then("no Pod Security control is reported")
    public void noPodSecurityControlIsReported() {
        List<Finding> of = podSecurityFindings();
        assertTrue(of.isEmpty(), "Pod Security findings:\n" + describe(of));
    }

    @Then("the Pod Security controls reported are {string}")
    public void thePodSecurityControlsReportedAre(String controls) {
        java.util.Set<String> expected = java.util.Arrays.stream(controls.split(",")).map(String::strip)
                .filter(c -> !c.isEmpty()).collect(Collectors.toCollection(java.util.TreeSet::new));
        java.util.Set<String> actual = podSecurityFindings().stream().map(this::controlOf)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertEquals(expected, actual, "controls reported (upstream check ids); findings:\n" + describe(podSecurityFindings()));
    }

    /** Findings of rules that implement a Pod Security Standards control ({@code @control}). */
    private List<Finding> podSecurityFindings() {
        return context.result().findings().stream().filter(f -> !controlOf(f).isEmpty()).toList();
    }

    private String controlOf(Finding f) {
        return context.catalog().find(f.rule()).map(d -> d.control()).orElse("");
    }

    // ---- Then: node exposure

    @Then("node exposure shows port {string} on node {string}")
    public void nodeExposureShowsPortOnNode(String port, String node) {
        List<NodeExposure> matching = exposures(port).stream().filter(e -> e.nodes().contains(node)).toList();
        assertFalse(matching.isEmpty(), "no exposure of " + port + " on node " + node + "; exposure:\n" + describeExposure());
    }

    @Then("node exposure shows port {string} of {string} on every node")
    public void nodeExposureOnEveryNode(String port, String resource) {
        assertTrue(exposures(port).stream().anyMatch(e -> e.resource().display().equals(resource)
                        && e.scope() == NodeExposure.Scope.ALL_NODES),
                "no exposure of " + port + " by " + resource + " on every node; exposure:\n" + describeExposure());
    }

    @Then("node exposure shows port {string} of {string} only on the nodes running its pods")
    public void nodeExposureOnlyWherePodsRun(String port, String resource) {
        assertTrue(exposures(port).stream().anyMatch(e -> e.resource().display().equals(resource)
                        && e.scope() != NodeExposure.Scope.ALL_NODES),
                "no node-local exposure of " + port + " by " + resource + "; exposure:\n" + describeExposure());
    }

    @Then("node exposure does not show port {string} on node {string}")
    public void nodeExposureDoesNotShow(String port, String node) {
        List<NodeExposure> matching = exposures(port).stream().filter(e -> e.nodes().contains(node)).toList();
        assertTrue(matching.isEmpty(), "port " + port + " is exposed on " + node + ":\n" + describeExposure());
    }

    // ---- Then: network reachability

    @Then("{string} can reach {string} on {string}")
    public void canReach(String from, String to, String port) {
        Explanation e = explain(from, to, port);
        assertTrue(e.allowed(), String.join("\n", e.lines()));
    }

    @Then("{string} cannot reach {string} on {string}")
    public void cannotReach(String from, String to, String port) {
        Explanation e = explain(from, to, port);
        assertFalse(e.allowed(), String.join("\n", e.lines()));
    }

    @Then("the connection from {string} to {string} on {string} is allowed by policy {string}")
    public void allowedByPolicy(String from, String to, String port, String policy) {
        Explanation e = explain(from, to, port);
        assertTrue(e.allowed(), String.join("\n", e.lines()));
        boolean named = e.egress().allowingRules().stream().anyMatch(r -> r.display().startsWith(policy + " "))
                || e.ingress().allowingRules().stream().anyMatch(r -> r.display().startsWith(policy + " "));
        assertTrue(named, "policy " + policy + " is not among the allowing rules:\n" + String.join("\n", e.lines()));
    }

    @Then("the connection from {string} to {string} on {string} is denied by {word} isolation")
    public void deniedBy(String from, String to, String port, String direction) {
        Explanation e = explain(from, to, port);
        assertFalse(e.allowed(), String.join("\n", e.lines()));
        boolean blocked = direction.equalsIgnoreCase("egress") ? !e.egress().permits() : !e.ingress().permits();
        assertTrue(blocked, "not blocked by " + direction + " isolation:\n" + String.join("\n", e.lines()));
    }

    @Then("the allowed connections are:")
    public void theAllowedConnectionsAre(String expected) {
        List<String> actual = connectivity().connlist();
        assertEquals(expected.strip().lines().map(String::strip).toList(), actual);
    }

    private Explanation explain(String from, String to, String port) {
        String[] pp = port.split("/", 2);
        return connectivity().explain(from, to, Integer.parseInt(pp[0]), pp.length > 1 ? pp[1] : null);
    }

    private Connectivity connectivity() {
        assertEquals(List.of(), context.errors().stream().map(e -> e.display()).toList(), "the manifests must be valid input");
        return context.connectivity();
    }

    // ---- Then: input errors

    @Then("the input error names field {string} on line {int}")
    public void theInputErrorNamesField(String field, int line) {
        assertTrue(context.errors().stream().anyMatch(e -> field.equals(e.field()) && e.line() == line),
                "input errors: " + context.errors().stream().map(e -> e.display()).toList());
    }

    // ---- helpers

    private List<Finding> findings(String rule, String resource) {
        return context.result().findings().stream()
                .filter(f -> f.rule().equals(rule) && f.resource().display().equals(resource)).toList();
    }

    private List<NodeExposure> exposures(String port) {
        return context.result().nodeExposure().stream()
                .filter(e -> (e.port() + "/" + e.protocol()).equals(port) || e.portDisplay().equals(port)).toList();
    }

    private String describeExposure() {
        return context.result().nodeExposure().stream()
                .map(e -> "  " + e.resource().display() + " " + e.portDisplay() + " " + e.via() + " on " + e.scopeDisplay())
                .collect(Collectors.joining("\n"));
    }

    static String describe(List<Finding> findings) {
        if (findings.isEmpty()) {
            return "  (none)";
        }
        return findings.stream().map(f -> "  " + f.rule() + " " + f.severity().label() + " " + f.resource().display() + " "
                + f.path() + ": " + f.message()).collect(Collectors.joining("\n"));
    }
}
