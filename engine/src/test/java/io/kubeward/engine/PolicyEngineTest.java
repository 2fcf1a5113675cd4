package io.kubeward.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kubeward.engine.RuleCompilationException.RuleError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEngineTest {

    static final String HEADER = """
            package test.rules
            import io.kubeward.engine.model.*;
            global Findings findings;
            """;

    static final String HOST_NETWORK = HEADER + """
            rule "test-host-network"
                @severity("high") @title("host network") @category("test")
            when
                $w : Workload( hostNetwork )
            then
                findings.report(drools.getRule(), $w, $w.path("hostNetwork"), "uses hostNetwork");
            end
            """;

    static PolicyEngine engine(String... drl) {
        PolicyEngine.Builder b = PolicyEngine.builder().withoutBuiltinRules();
        for (int i = 0; i < drl.length; i++) {
            b.addRules(new RuleSource("rule" + i + ".drl", drl[i]));
        }
        return b.build();
    }

    static Pod pod(String name, boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withHostNetwork(hostNetwork).addNewContainer().withName("main").withImage("alpine").endContainer()
                .endSpec().build();
    }

    @Test
    void reportsWithTheRuleMetadataAndThePathOfTheField() {
        EvaluationResult r = engine(HOST_NETWORK).evaluate(pod("p", true));
        assertEquals(1, r.findings().size());
        Finding f = r.findings().get(0);
        assertEquals("test-host-network", f.rule());
        assertEquals(Severity.HIGH, f.severity());
        assertEquals("host network", f.title());
        assertEquals("spec.hostNetwork", f.path());
        assertEquals(new ResourceRef("v1", "Pod", "default", "p"), f.resource());
        assertEquals(0, engine(HOST_NETWORK).evaluate(pod("q", false)).findings().size());
    }

    @Test
    void workloadsReportAtThePathOfTheirPodTemplate() {
        HasMetadata d = new DeploymentBuilder().withNewMetadata().withName("d").endMetadata().withNewSpec()
                .withNewTemplate().withNewSpec().withHostNetwork(true).addNewContainer().withName("c").endContainer()
                .endSpec().endTemplate().endSpec().build();
        Finding f = engine(HOST_NETWORK).evaluate(d).findings().get(0);
        assertEquals("spec.template.spec.hostNetwork", f.path());
    }

    @Test
    void sourceLocationsComeFromTheFieldLines() {
        Source src = new Source("pods.yaml", 2, 10, Map.of("spec", 14, "spec.hostNetwork", 15));
        Finding f = engine(HOST_NETWORK).evaluate(new InputObject(pod("p", true), src)).findings().get(0);
        assertEquals(new SourceLocation("pods.yaml", 2, 15), f.source());
    }

    @Test
    void aRuleSetThatDoesNotCompileIsRefusedWithFileAndLine() {
        String broken = HEADER + """
                rule "broken"
                    @severity("low")
                when
                    $w : Workload( noSuchField == true )
                then
                end
                """;
        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> engine(HOST_NETWORK, broken));
        RuleError err = e.errors().get(0);
        assertEquals("rule1.drl", err.file());
        assertTrue(err.line() >= 4 && err.line() <= 7, "line " + err.line());
        assertTrue(e.getMessage().contains("rule1.drl"), e.getMessage());
    }

    @Test
    void aSyntaxErrorNamesLineAndColumn() {
        String broken = HEADER + "rule \"x\" @severity(\"low\") when Workload( then end\n";
        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> engine(broken));
        assertTrue(e.errors().stream().allMatch(x -> x.file().equals("rule0.drl") && x.line() == 4), e.getMessage());
    }

    @Test
    void aSyntaxErrorNamesTheColumnWhereTheParserStopped() {
        String broken = HEADER + "rule \"x\" @severity(\"low\") when Workload( then end\n";
        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> engine(broken));
        // "end" (1-based column 47) is where the parser finds the pattern unclosed
        assertTrue(e.errors().stream().anyMatch(x -> x.line() == 4 && x.column() == 47), e.getMessage());
        assertTrue(e.getMessage().contains("rule0.drl:4:47:"), e.getMessage());
    }

    @Test
    void aRuleWithoutSeverityIsRefused() {
        String noSeverity = HEADER + "rule \"quiet\" when Workload() then end\n";
        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> engine(noSeverity));
        assertTrue(e.getMessage().contains("quiet") && e.getMessage().contains("severity"), e.getMessage());
        String badSeverity = HEADER + "rule \"loud\" @severity(\"extreme\") when Workload() then end\n";
        e = assertThrows(RuleCompilationException.class, () -> engine(badSeverity));
        assertTrue(e.getMessage().contains("extreme"), e.getMessage());
    }

    @Test
    void anIdUsedInTwoPackagesIsRefused() {
        String other = HOST_NETWORK.replace("package test.rules", "package other.rules");
        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> engine(HOST_NETWORK, other));
        assertTrue(e.getMessage().contains("test-host-network"), e.getMessage());
    }

    @Test
    void severalDrlRulesCanFormOneRuleId() {
        String family = HOST_NETWORK + """
                rule "test-host-network-pid"
                    @id("test-host-network") @severity("low")
                when
                    $w : Workload( hostPID )
                then
                    findings.report(drools.getRule(), $w, $w.path("hostPID"), "uses hostPID");
                end
                """;
        PolicyEngine e = engine(family);
        assertEquals(1, e.catalog().size());
        Pod p = pod("p", false);
        p.getSpec().setHostPID(true);
        Finding f = e.evaluate(p).findings().get(0);
        assertEquals("test-host-network", f.rule());
        assertEquals(Severity.LOW, f.severity());
        assertEquals("host network", f.title());
    }

    @Test
    void userRuleFoldersAreCompiledAndSeeEveryKind(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("team"));
        Files.writeString(dir.resolve("team/configmaps.drl"), HEADER + """
                rule "no-configmap-named-secret"
                    @severity("medium") @title("ConfigMap named like a secret")
                when
                    $o : KubeObject( kind == "ConfigMap", name.contains("secret") )
                then
                    findings.report(drools.getRule(), $o, "metadata.name", "rename it");
                end
                rule "custom-resource-seen"
                    @severity("info")
                when
                    $o : KubeObject( generic )
                then
                    findings.report(drools.getRule(), $o, "kind", "custom resource " + $o.getKind());
                end
                """);
        PolicyEngine e = PolicyEngine.builder().withoutBuiltinRules().addRuleDirectory(dir).build();
        GenericKubernetesResource cr = new GenericKubernetesResource();
        cr.setApiVersion("example.com/v1");
        cr.setKind("Widget");
        cr.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("w").build());
        EvaluationResult r = e.evaluateSnapshot(List.of(
                InputObject.of(new ConfigMapBuilder().withNewMetadata().withName("db-secret").endMetadata().build()),
                InputObject.of(cr)));
        assertEquals(List.of("custom-resource-seen", "no-configmap-named-secret"),
                r.findings().stream().map(Finding::rule).sorted().toList());
        assertEquals(2, r.skipped().size(), "ConfigMap and Widget are not evaluated by the model");
    }

    @Test
    void aLoopingRuleIsStopped() {
        String loop = HEADER + """
                rule "loop" @severity("low")
                when
                    $w : Workload()
                then
                    insert(new java.util.ArrayList());
                end
                rule "loop-more" @id("loop")
                when
                    $l : java.util.ArrayList()
                then
                    insert(new java.util.ArrayList());
                end
                """;
        PolicyEngine e = PolicyEngine.builder().withoutBuiltinRules().maxFirings(1000)
                .addRules(new RuleSource("loop.drl", loop)).build();
        RuleEvaluationException ex = assertThrows(RuleEvaluationException.class, () -> e.evaluate(pod("p", false)));
        assertTrue(ex.getMessage().contains("loops"), ex.getMessage());
    }

    @Test
    void aRuleThatThrowsFailsTheEvaluationWithItsName() {
        String throwing = HEADER + """
                rule "throws" @severity("low")
                when
                    $w : Workload()
                then
                    throw new IllegalStateException("boom in rule");
                end
                """;
        RuleEvaluationException ex = assertThrows(RuleEvaluationException.class, () -> engine(throwing).evaluate(pod("p", false)));
        assertTrue(ex.getMessage().contains("boom in rule"), ex.getMessage());
    }

    @Test
    void evaluationIsThreadSafe() throws Exception {
        PolicyEngine e = engine(HOST_NETWORK);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boolean host = i % 2 == 0;
                futures.add(pool.submit(() -> e.evaluate(pod("p", host)).findings().size()));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(i % 2 == 0 ? 1 : 0, futures.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
