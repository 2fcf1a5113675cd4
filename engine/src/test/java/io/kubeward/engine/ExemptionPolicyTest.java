package io.kubeward.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kubeward.engine.config.Configuration;
import io.kubeward.engine.config.RuleException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExemptionPolicyTest {

    static final String RULES = PolicyEngineTest.HEADER + """
            rule "test-host-network"
                @severity("high") @title("host network") @category("hosts")
            when
                $w : Workload( hostNetwork )
            then
                findings.report(drools.getRule(), $w, $w.path("hostNetwork"), "uses hostNetwork");
            end
            rule "test-privileged"
                @severity("high") @title("privileged") @category("containers")
            when
                $c : ContainerView( privileged )
            then
                findings.report(drools.getRule(), $c, $c.path("securityContext.privileged"), "privileged");
            end
            """;
    static final PolicyEngine ENGINE = PolicyEngineTest.engine(RULES);
    static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

    static Pod pod(Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName("mesh").withNamespace("shop").withAnnotations(annotations)
                .addToLabels("app", "shop").endMetadata().withNewSpec().withHostNetwork(true)
                .addNewContainer().withName("app").withImage("shop:1").endContainer()
                .addNewContainer().withName("istio-proxy").withImage("docker.io/istio/proxyv2:1.22").withNewSecurityContext()
                .withPrivileged(true).endSecurityContext().endContainer().endSpec().build();
    }

    static List<Finding> run(Pod pod, Configuration config) {
        return ENGINE.evaluate(InputObject.of(pod), EvaluationOptions.DEFAULT.withConfiguration(config).withToday(TODAY)).findings();
    }

    static RuleException exception(List<String> rules, List<String> containers, List<String> images, LocalDate expires) {
        return new RuleException("sidecar", rules, List.of("shop"), List.of(), List.of("mesh*"), Map.of("app", "shop"),
                containers, images, "the mesh proxy needs it", expires);
    }

    @Test
    void anExceptionForOneContainerExemptsOnlyThatContainer() {
        Configuration c = new Configuration(null, null, null, null,
                List.of(exception(List.of("test-privileged"), List.of("istio-proxy"), List.of(), null)));
        List<Finding> f = run(pod(Map.of()), c);
        Finding privileged = f.stream().filter(x -> x.rule().equals("test-privileged")).findFirst().orElseThrow();
        assertTrue(privileged.isExempted());
        assertEquals("config:sidecar", privileged.exemption().source());
        assertEquals("the mesh proxy needs it", privileged.exemption().reason());
        Finding host = f.stream().filter(x -> x.rule().equals("test-host-network")).findFirst().orElseThrow();
        assertFalse(host.isExempted(), "another rule is not covered");
    }

    @Test
    void anExceptionByImageAndSelectorsMustMatchEverySelector() {
        Configuration byImage = new Configuration(null, null, null, null,
                List.of(exception(List.of("*"), List.of(), List.of("docker.io/istio/*"), null)));
        List<Finding> f = run(pod(Map.of()), byImage);
        assertTrue(f.stream().filter(x -> x.rule().equals("test-privileged")).allMatch(Finding::isExempted));
        assertTrue(f.stream().filter(x -> x.rule().equals("test-host-network")).noneMatch(Finding::isExempted),
                "a pod-level finding is exempted by image only when every container matches");
        RuleException otherNamespace = new RuleException("x", List.of("*"), List.of("other"), List.of(), List.of(), Map.of(),
                List.of(), List.of(), "r", null);
        assertTrue(run(pod(Map.of()), new Configuration(null, null, null, null, List.of(otherNamespace)))
                .stream().noneMatch(Finding::isExempted));
    }

    @Test
    void anExpiredExceptionStopsApplyingAndIsReported() {
        Configuration c = new Configuration(null, null, null, null,
                List.of(exception(List.of("test-privileged"), List.of("istio-proxy"), List.of(), LocalDate.of(2026, 5, 31))));
        List<Finding> f = run(pod(Map.of()), c);
        assertTrue(f.stream().filter(x -> x.rule().equals("test-privileged")).noneMatch(Finding::isExempted));
        Finding expired = f.stream().filter(x -> x.rule().equals(ExemptionPolicy.EXPIRED)).findFirst().orElseThrow();
        assertTrue(expired.message().contains("expired on 2026-05-31"), expired.message());
        assertEquals("istio-proxy", expired.container());
        Configuration lastDay = new Configuration(null, null, null, null,
                List.of(exception(List.of("test-privileged"), List.of(), List.of(), TODAY)));
        assertTrue(run(pod(Map.of()), lastDay).stream().filter(x -> x.rule().equals("test-privileged")).allMatch(Finding::isExempted),
                "an exception applies through its expiry day");
    }

    @Test
    void annotationsExemptRulesOrRuleContainerPairs() {
        List<Finding> f = run(pod(Map.of("kubeward.io/exempt", "test-privileged:istio-proxy, test-host-network",
                "kubeward.io/exempt-reason", "CNI agent")), Configuration.EMPTY);
        assertTrue(f.stream().allMatch(Finding::isExempted), f.toString());
        assertEquals("CNI agent", f.get(0).exemption().reason());
        List<Finding> other = run(pod(Map.of("kubeward.io/exempt", "test-privileged:app")), Configuration.EMPTY);
        assertTrue(other.stream().noneMatch(Finding::isExempted), "the annotation names another container");
    }

    @Test
    void rulesAndCategoriesCanBeSwitchedOffAndSeveritiesOverridden() {
        Configuration off = new Configuration(Map.of("test-privileged", false), null, Map.of("test-host-network", Severity.LOW), null, null);
        List<Finding> f = run(pod(Map.of()), off);
        assertEquals(List.of("test-host-network"), f.stream().map(Finding::rule).toList());
        assertEquals(Severity.LOW, f.get(0).severity());
        Configuration noHosts = new Configuration(null, Map.of("hosts", false), null, null, null);
        assertEquals(List.of("test-privileged"), run(pod(Map.of()), noHosts).stream().map(Finding::rule).toList());
        Configuration backOn = new Configuration(Map.of("test-host-network", true), Map.of("hosts", false), null, null, null);
        assertEquals(2, run(pod(Map.of()), backOn).size(), "a rule switched on beats its category switched off");
    }

    @Test
    void exemptedFindingsDoNotCountTowardFailures() {
        EvaluationResult r = ENGINE.evaluate(InputObject.of(pod(Map.of("kubeward.io/exempt", "*"))), EvaluationOptions.DEFAULT);
        assertEquals(2, r.findings().size());
        assertEquals(0, r.failingAtLeast(Severity.INFO).size());
        assertTrue(r.countBySeverity().isEmpty());
        assertNull(new Finding("r", Severity.LOW, "t", "m", null, null, "p", null).exemption());
    }
}
