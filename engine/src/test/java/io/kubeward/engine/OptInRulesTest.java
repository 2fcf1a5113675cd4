package io.kubeward.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opt-in rules ({@code @optIn("true")}) run only when the evaluation options name them. */
class OptInRulesTest {

    static final String DRL = """
            package test.optin
            import io.kubeward.engine.model.*;
            global Findings findings;

            rule "always"
                @severity("low") @control("someCheck")
            when
                $c : ContainerView()
            then
                findings.report(drools.getRule(), $c, $c.path("image"), "always");
            end

            rule "writable-root"
                @severity("low") @optIn("true")
            when
                $c : ContainerView( !readOnlyRootFilesystem )
            then
                findings.report(drools.getRule(), $c, $c.path("securityContext.readOnlyRootFilesystem"), "writable");
            end

            rule "writable-root-init"
                @id("writable-root")
            when
                $c : ContainerView( kind == ContainerKind.INIT )
            then
                findings.report(drools.getRule(), $c, $c.path("securityContext"), "init");
            end
            """;

    static PolicyEngine engine;
    static final Pod POD = new PodBuilder()
            .withNewMetadata().withName("app").endMetadata()
            .withNewSpec()
            .addNewInitContainer().withName("init").withImage("busybox").endInitContainer()
            .addNewContainer().withName("app").withImage("nginx").endContainer()
            .endSpec().build();

    @BeforeAll
    static void build() {
        engine = PolicyEngine.builder().withoutBuiltinRules().addRules(new RuleSource("optin.drl", DRL)).build();
    }

    static List<String> rulesFound(EvaluationOptions options) {
        return engine.evaluate(InputObject.of(POD), options).findings().stream().map(Finding::rule).distinct().sorted().toList();
    }

    @Test
    void catalogueTellsOptInRulesAndControls() {
        RuleDescriptor writable = engine.catalog().get("writable-root");
        assertTrue(writable.optIn());
        assertEquals("", writable.control());
        RuleDescriptor always = engine.catalog().get("always");
        assertFalse(always.optIn());
        assertEquals("someCheck", always.control());
        assertTrue(always.hasControl());
    }

    @Test
    void optInRulesStayQuietUnlessEnabled() {
        assertEquals(List.of("always"), rulesFound(EvaluationOptions.DEFAULT));
        assertEquals(List.of("always"), rulesFound(new EvaluationOptions(PodSecurityProfile.latest(PodSecurityProfile.Level.RESTRICTED))));
    }

    @Test
    void enabledOptInRuleRunsWithEveryRuleOfItsId() {
        EvaluationOptions options = EvaluationOptions.DEFAULT.withOptInRules("writable-root");
        assertEquals(List.of("always", "writable-root"), rulesFound(options));
        List<String> paths = engine.evaluate(InputObject.of(POD), options).findings().stream()
                .filter(f -> f.rule().equals("writable-root")).map(Finding::path).sorted().toList();
        assertEquals(List.of("spec.containers[0].securityContext.readOnlyRootFilesystem",
                "spec.initContainers[0].securityContext",
                "spec.initContainers[0].securityContext.readOnlyRootFilesystem"), paths);
    }

    @Test
    void optionsKeepOptInsAcrossProfileChanges() {
        EvaluationOptions options = EvaluationOptions.DEFAULT.withOptInRules("writable-root")
                .withProfile(PodSecurityProfile.of("baseline", "v1.29"));
        assertEquals(java.util.Set.of("writable-root"), options.optInRules());
        assertTrue(options.optsIn("writable-root"));
        assertEquals(29, options.profile().minor());
    }

    @Test
    void enablingAnUnknownOrAlwaysOnRuleIsAnError() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> rulesFound(EvaluationOptions.DEFAULT.withOptInRules("no-such-rule")));
        assertTrue(unknown.getMessage().contains("no rule with id 'no-such-rule'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("known: writable-root"), unknown.getMessage());
        IllegalArgumentException always = assertThrows(IllegalArgumentException.class,
                () -> rulesFound(EvaluationOptions.DEFAULT.withOptInRules("always")));
        assertTrue(always.getMessage().contains("'always' is not an opt-in rule"), always.getMessage());
    }

    @Test
    void optInMustBeTrueOrFalse() {
        String bad = DRL.replace("@optIn(\"true\")", "@optIn(\"sometimes\")");
        RuleCompilationException e = assertThrows(RuleCompilationException.class,
                () -> PolicyEngine.builder().withoutBuiltinRules().addRules(new RuleSource("bad.drl", bad)).build());
        assertTrue(e.getMessage().contains("bad.drl") && e.getMessage().contains("@optIn must be \"true\" or \"false\""), e.getMessage());
    }
}
