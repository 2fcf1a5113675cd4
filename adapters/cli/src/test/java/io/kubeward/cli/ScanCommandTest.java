package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ScanCommandTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String EXAMPLES = CliRun.ROOT.resolve("examples").toString();

    @Test
    void theReadmeMainCommandFindsTheChapterPodsAndExitsOne() {
        CliRun run = CliRun.of("scan", EXAMPLES);
        assertEquals(KubewardCommand.FINDINGS, run.exitCode(), run.err());
        assertTrue(run.out().contains("Pod/pod-with-host-network"), run.out());
        assertTrue(run.out().contains("host-network  spec.hostNetwork"), run.out());
        assertTrue(run.out().contains("host-port  spec.containers[0].ports[0].hostPort"), run.out());
        assertTrue(run.out().contains("Node exposure"), run.out());
        assertTrue(run.out().contains("Service/kubia-nodeport"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void jsonListsEveryFindingWithResourceSourceAndSummary() {
        CliRun run = CliRun.of("scan", "--output", "json", EXAMPLES + "/chapter/kubia-hostport.yaml");
        assertEquals(KubewardCommand.FINDINGS, run.exitCode(), run.err());
        JsonNode root = JSON.readTree(run.out());
        assertEquals(1, root.get("schemaVersion").asInt());
        JsonNode hostPort = null;
        for (JsonNode f : root.get("findings")) {
            if (f.get("rule").asString().equals("host-port")) {
                hostPort = f;
            }
        }
        assertTrue(hostPort != null, run.out());
        assertEquals("medium", hostPort.get("severity").asString());
        assertEquals("spec.containers[0].ports[0].hostPort", hostPort.get("path").asString());
        assertEquals("kubia", hostPort.get("container").asString());
        assertEquals("Pod", hostPort.get("resource").get("kind").asString());
        assertEquals("kubia-hostport", hostPort.get("resource").get("name").asString());
        assertEquals("v1", hostPort.get("resource").get("apiVersion").asString());
        assertTrue(hostPort.get("source").get("file").asString().endsWith("kubia-hostport.yaml"));
        assertEquals(1, hostPort.get("source").get("document").asInt());
        assertEquals(12, hostPort.get("source").get("line").asInt());
        JsonNode summary = root.get("summary");
        assertEquals(1, summary.get("evaluated").asInt());
        assertEquals(root.get("findings").size(), summary.get("findings").asInt());
        assertEquals(9000, root.get("nodeExposure").get(0).get("port").asInt());
        assertEquals("HOST_PORT", root.get("nodeExposure").get(0).get("via").asString());
    }

    @Test
    void minSeverityFiltersFindingsAndTheExitCode() {
        CliRun low = CliRun.of("scan", "--min-severity", "low", EXAMPLES + "/chapter/kubia-hostport.yaml");
        assertEquals(KubewardCommand.FINDINGS, low.exitCode());
        CliRun high = CliRun.of("scan", "--min-severity", "high", "-o", "json", EXAMPLES + "/chapter/kubia-hostport.yaml");
        assertEquals(KubewardCommand.OK, high.exitCode(), high.out());
        assertEquals(0, JSON.readTree(high.out()).get("findings").size());
    }

    @Test
    void aMalformedFileGivesOneClearErrorTheOtherFindingsAndExitTwo(@TempDir Path dir) throws IOException {
        Files.copy(Path.of(EXAMPLES, "chapter/pod-with-host-network.yaml"), dir.resolve("good.yaml"));
        Files.writeString(dir.resolve("broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\nspec: {}\n");
        CliRun run = CliRun.of("scan", dir.toString());
        assertEquals(KubewardCommand.INPUT_ERROR, run.exitCode());
        assertTrue(run.out().contains("host-network"), run.out());
        List<String> errorLines = run.out().lines().filter(l -> l.contains("broken.yaml")).toList();
        assertEquals(1, errorLines.size(), run.out());
        assertTrue(errorLines.get(0).contains("(document 1)") && errorLines.get(0).contains("malformed YAML"), errorLines.get(0));
        assertTrue(errorLines.get(0).matches(".*broken\\.yaml:\\d+ .*"), "names the line: " + errorLines.get(0));
        assertFalse(run.out().contains("Exception"), run.out());
        assertFalse(run.out().contains("\tat "), "no stack trace");
    }

    @Test
    void jsonReportsInputErrorsInTheDocumentAndOnStderr(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("nokind.yaml"), "apiVersion: v1\nmetadata: {name: x}\n");
        CliRun run = CliRun.of("scan", "-o", "json", dir.toString());
        assertEquals(KubewardCommand.INPUT_ERROR, run.exitCode());
        JsonNode error = JSON.readTree(run.out()).get("errors").get(0);
        assertEquals("kind", error.get("field").asString());
        assertEquals(1, error.get("document").asInt());
        assertTrue(run.err().contains("nokind.yaml"), run.err());
    }

    @Test
    void unknownKindsAreCountedAsNotEvaluated(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("cr.yaml"), "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n");
        CliRun run = CliRun.of("scan", dir.toString());
        assertEquals(KubewardCommand.OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("1 not evaluated (Widget: 1)"), run.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(KubewardCommand.INPUT_ERROR, CliRun.of("scan").exitCode());
        CliRun badFormat = CliRun.of("scan", "--output", "xml", EXAMPLES);
        assertEquals(KubewardCommand.INPUT_ERROR, badFormat.exitCode());
        assertTrue(badFormat.err().contains("unknown output format 'xml'"), badFormat.err());
        CliRun badSeverity = CliRun.of("scan", "--min-severity", "urgent", EXAMPLES);
        assertEquals(KubewardCommand.INPUT_ERROR, badSeverity.exitCode());
        assertTrue(badSeverity.err().contains("urgent"), badSeverity.err());
        assertEquals(KubewardCommand.INPUT_ERROR, CliRun.of("frobnicate").exitCode());
    }

    @Test
    void userRulesThatDoNotCompileStopTheScanWithEachError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.drl"), "package team\nimport io.kubeward.engine.model.*;\nrule \"x\" @severity(\"low\")\nwhen\n  Workload( nope )\nthen\nend\n");
        CliRun run = CliRun.of("scan", "--rules", dir.toString(), EXAMPLES);
        assertEquals(KubewardCommand.INPUT_ERROR, run.exitCode());
        assertTrue(run.err().contains("bad.drl:"), run.err());
        assertEquals("", run.out(), "nothing is evaluated with a broken rule set");
    }

    @Test
    void aCompileErrorIsReportedAloneThoughTheInputIsReadMeanwhile(@TempDir Path dir) throws IOException {
        Path rules = Files.createDirectory(dir.resolve("rules"));
        Files.writeString(rules.resolve("bad.drl"), "package team\nimport io.kubeward.engine.model.*;\nrule \"x\" @severity(\"low\")\nwhen\n  Workload( nope )\nthen\nend\n");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p\nspec: [\n");
        CliRun run = CliRun.of("scan", "-o", "json", "--rules", rules.toString(), broken.toString(), dir.resolve("missing.yaml").toString());
        assertEquals(KubewardCommand.INPUT_ERROR, run.exitCode());
        assertEquals("", run.out());
        String[] lines = run.err().split("\\R");
        assertEquals("kubeward: the rules do not compile; nothing was evaluated:", lines[0], run.err());
        assertEquals(2, lines.length, "one compile error and nothing about the input: " + run.err());
        assertTrue(lines[1].startsWith("  " + rules.resolve("bad.drl") + ":5: "), run.err());
    }

    @Test
    void aMissingRulesFolderIsReportedAsBefore(@TempDir Path dir) {
        CliRun run = CliRun.of("scan", "--rules", dir.resolve("nowhere").toString(), EXAMPLES);
        assertEquals(KubewardCommand.INPUT_ERROR, run.exitCode());
        assertEquals("kubeward: rules folder " + dir.resolve("nowhere") + " does not exist or is not a folder", run.err().strip());
        assertEquals("", run.out());
    }

    @Test
    void userRulesRunBesideTheBuiltInOnes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("team.drl"), """
                package team
                import io.kubeward.engine.model.*;
                global Findings findings;
                rule "team-no-latest-tag"
                    @severity("low") @title("Image without a pinned tag")
                when
                    $c : ContainerView( image != null, image.endsWith(":latest") || !image.contains(":") )
                then
                    findings.report(drools.getRule(), $c, $c.path("image"), "pin the image " + $c.getImage());
                end
                """);
        CliRun run = CliRun.of("scan", "-o", "json", "--rules", dir.toString(), EXAMPLES + "/chapter/kubia-hostport.yaml");
        JsonNode findings = JSON.readTree(run.out()).get("findings");
        boolean team = false;
        for (JsonNode f : findings) {
            team |= f.get("rule").asString().equals("team-no-latest-tag")
                    && f.get("path").asString().equals("spec.containers[0].image");
        }
        assertTrue(team, run.out());
    }

    @Test
    void stdinIsReadForDash() {
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(
                    "apiVersion: v1\nkind: Pod\nmetadata: {name: piped}\nspec:\n  hostPID: true\n  containers: [{name: c, image: i}]\n".getBytes()));
            CliRun run = CliRun.of("scan", "-o", "json", "-");
            JsonNode f = JSON.readTree(run.out()).get("findings").get(0);
            assertEquals("host-pid", f.get("rule").asString());
            assertEquals("-", f.get("source").get("file").asString());
            assertEquals(5, f.get("source").get("line").asInt());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void rulesListsTheCatalogue() {
        CliRun run = CliRun.of("rules");
        assertEquals(KubewardCommand.OK, run.exitCode());
        for (String id : List.of("host-network", "host-pid", "host-ipc", "host-port", "host-port-outside-daemonset", "host-port-conflict")) {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith(id + " ")), id + " in\n" + run.out());
        }
        JsonNode rules = JSON.readTree(CliRun.of("rules", "-o", "json").out()).get("rules");
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        rules.forEach(r -> byId.put(r.get("id").asString(), r));
        assertEquals("high", byId.get("host-network").get("severity").asString());
        assertFalse(byId.get("host-network").get("remediation").asString().isBlank());
    }

    @Test
    void optInRulesRunOnlyWhenEnabled() {
        String hardened = EXAMPLES + "/workloads/debug-tools.yaml";
        CliRun without = CliRun.of("scan", "-o", "json", hardened);
        assertFalse(without.out().contains("\"read-only-root-filesystem\""), without.out());
        CliRun with = CliRun.of("scan", "-o", "json", "--enable", "read-only-root-filesystem", hardened);
        assertTrue(with.out().contains("\"read-only-root-filesystem\""), with.out());
        CliRun wrong = CliRun.of("scan", "--enable", "host-network", hardened);
        assertEquals(KubewardCommand.INPUT_ERROR, wrong.exitCode());
        assertTrue(wrong.err().contains("not an opt-in rule"), wrong.err());
    }

    @Test
    void theRestrictedProfileAddsPodSecurityFindings() {
        CliRun run = CliRun.of("scan", "-o", "json", "--profile", "restricted", "--profile-version", "v1.29",
                EXAMPLES + "/chapter/kubia-hostport.yaml");
        JsonNode root = JSON.readTree(run.out());
        assertEquals("restricted:v1.29", root.get("summary").get("profile").asString());
        java.util.Set<String> rules = new java.util.TreeSet<>();
        root.get("findings").forEach(f -> rules.add(f.get("rule").asString()));
        assertTrue(rules.containsAll(java.util.Set.of("pss-host-ports", "pss-run-as-non-root", "pss-seccomp-profile-restricted",
                "pss-capabilities-restricted", "pss-allow-privilege-escalation")), rules.toString());
        CliRun hardened = CliRun.of("scan", "--profile", "restricted", EXAMPLES + "/workloads/hardened-web.yaml");
        assertEquals(KubewardCommand.OK, hardened.exitCode(), hardened.out());
        CliRun badVersion = CliRun.of("scan", "--profile", "restricted", "--profile-version", "2.0", EXAMPLES);
        assertEquals(KubewardCommand.INPUT_ERROR, badVersion.exitCode());
    }
}
