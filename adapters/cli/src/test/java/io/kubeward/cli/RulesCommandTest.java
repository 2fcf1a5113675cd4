package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.engine.PolicyEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCommandTest {

    @Test
    void theCommittedRuleDocsAreUpToDate() throws IOException {
        Map<String, String> pages = new RuleDocs(PolicyEngine.builder().build().catalog(), getClass().getClassLoader()).pages();
        List<String> stale = RulesCommand.Docs.stale(CliRun.ROOT.resolve("docs/rules"), pages);
        assertEquals(List.of(), stale, "docs/rules is stale: run 'bin/kubeward rules docs --out docs/rules' and commit it");
    }

    @Test
    void docsCheckTellsStaleFromFresh(@TempDir Path dir) throws IOException {
        assertEquals(KubewardCommand.OK, CliRun.of("rules", "docs", "--out", dir.toString()).exitCode());
        assertEquals(KubewardCommand.OK, CliRun.of("rules", "docs", "--check", "--out", dir.toString()).exitCode());
        Files.writeString(dir.resolve("host-pid.md"), "edited by hand");
        CliRun stale = CliRun.of("rules", "docs", "--check", "--out", dir.toString());
        assertEquals(KubewardCommand.FINDINGS, stale.exitCode());
        assertTrue(stale.err().contains("host-pid.md"), stale.err());
    }

    @Test
    void explainPrintsMetadataAndExamples() {
        CliRun run = CliRun.of("rules", "explain", "host-port");
        assertEquals(KubewardCommand.OK, run.exitCode());
        assertTrue(run.out().startsWith("# host-port: Container binds a port of the node"), run.out());
        assertTrue(run.out().contains("## Remediation"), run.out());
        assertTrue(run.out().contains("### Reported: `disallowed-pod.yaml`"), run.out());
        CliRun unknown = CliRun.of("rules", "explain", "no-such-rule");
        assertEquals(KubewardCommand.INPUT_ERROR, unknown.exitCode());
        assertTrue(unknown.err().contains("no rule 'no-such-rule'"), unknown.err());
    }

    @Test
    void aNewRuleSkeletonPassesItsOwnExamples(@TempDir Path dir) {
        CliRun created = CliRun.of("rules", "new", "no-host-pid", "--dir", dir.toString(), "--category", "team");
        assertEquals(KubewardCommand.OK, created.exitCode(), created.err());
        assertTrue(Files.exists(dir.resolve("no-host-pid/no-host-pid.drl")));
        CliRun tested = CliRun.of("rules", "test", dir.toString());
        assertEquals(KubewardCommand.OK, tested.exitCode(), tested.out() + tested.err());
        assertTrue(tested.out().contains("2 passed, 0 failed"), tested.out());
        CliRun again = CliRun.of("rules", "new", "no-host-pid", "--dir", dir.toString());
        assertEquals(KubewardCommand.INPUT_ERROR, again.exitCode());
        assertEquals(KubewardCommand.INPUT_ERROR, CliRun.of("rules", "new", "Bad_Id", "--dir", dir.toString()).exitCode());
    }

    @Test
    void rulesTestFailsOnAWrongExampleAndAMissingFolder(@TempDir Path dir) throws IOException {
        CliRun.of("rules", "new", "no-host-pid", "--dir", dir.toString());
        Files.writeString(dir.resolve("no-host-pid/allowed-wrong.yaml"),
                "apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  hostPID: true\n  containers: [{name: c, image: i}]\n");
        Files.writeString(dir.resolve("extra.drl"), """
                package rules.team
                import io.kubeward.engine.model.*;
                global Findings findings;
                rule "untested-rule" @severity("low") @title("t")
                when $w : Workload( hostIPC ) then findings.report(drools.getRule(), $w, $w.path("hostIPC"), "m"); end
                """);
        CliRun run = CliRun.of("rules", "test", dir.toString());
        assertEquals(KubewardCommand.FINDINGS, run.exitCode(), run.out());
        assertTrue(run.out().contains("FAIL no-host-pid no-host-pid/allowed-wrong.yaml: expected no finding"), run.out());
        assertTrue(run.out().contains("FAIL untested-rule: no folder untested-rule/"), run.out());
        assertTrue(run.out().contains("2 passed, 2 failed"), run.out());
    }
}
