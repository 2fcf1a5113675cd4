package io.kubeward.admission;

import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleSource;
import io.kubeward.engine.psp.PodSecurityPolicyAdmission;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** One engine for every test class of the module (compiling rules is the slow part). */
final class TestEngines {

    private static PolicyEngine shared;
    private static PodSecurityPolicyAdmission psp;

    private TestEngines() {
    }

    /** The PodSecurityPolicy admission with the built-in PodSecurityPolicy rules, as {@code serve --psp} builds it. */
    static synchronized PodSecurityPolicyAdmission podSecurityPolicies() {
        if (psp == null) {
            psp = PodSecurityPolicyAdmission.withBuiltinRules();
        }
        return psp;
    }

    /** The built-in rule packs plus the test rules of {@code rules/admission-test.drl}. */
    static synchronized PolicyEngine shared() {
        if (shared == null) {
            try (InputStream in = TestEngines.class.getResourceAsStream("/rules/admission-test.drl")) {
                String drl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                shared = PolicyEngine.builder().addRules(new RuleSource("admission-test.drl", drl)).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }
}
