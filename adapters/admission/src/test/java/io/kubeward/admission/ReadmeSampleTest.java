package io.kubeward.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.engine.InputObject;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.psp.AdmissionPolicies;
import io.kubeward.engine.psp.PodSecurityPolicyAdmission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keeps the README's in-process samples honest: the code below is the README's, and it runs. */
class ReadmeSampleTest {

    static final Path ROOT = Path.of(System.getProperty("kubeward.root", "../.."));

    static String answer(PolicyEngine engine, byte[] requestBody) {
        // README:begin
        AdmissionController controller = AdmissionController.builder()
                .engine(engine)                                        // built once, shared
                .config(AdmissionConfig.DEFAULT)                      // or AdmissionConfig.load(path)
                .namespaceLabels(NamespaceLabels.fixed(Map.of(
                        "team-a", Map.of("pod-security.kubernetes.io/enforce", "baseline"))))
                .build();
        byte[] responseBody = controller.validate(requestBody);   // AdmissionReview JSON in, JSON out
        // README:end
        return new String(responseBody, StandardCharsets.UTF_8);
    }

    static String mutate(PolicyEngine engine, List<InputObject> pspAndRbacObjects, byte[] requestBody) {
        // README-psp:begin
        PodSecurityPolicyAdmission psp = PodSecurityPolicyAdmission.withBuiltinRules();       // compiled once
        AdmissionPolicies policies = AdmissionPolicies.of(pspAndRbacObjects).requireValid();  // policies and RBAC
        AdmissionController controller = AdmissionController.builder()
                .engine(engine)
                .defaulter(new PodSecurityPolicyDefaulter(psp, PodSecurityPolicySource.fixed(policies)))
                .build();
        byte[] responseBody = controller.mutate(requestBody);  // the admitting policy's patch, or 403 and why
        // README-psp:end
        return new String(responseBody, StandardCharsets.UTF_8);
    }

    @Test
    void thePodSecurityPolicySampleDefaultsAPod() {
        String out = mutate(TestEngines.shared(), PspFixtures.objects("policies.yaml"), PspFixtures.bytes("pod-create-plain.json"));
        assertTrue(out.contains("\"allowed\":true") && out.contains("\"patchType\":\"JSONPatch\""), out);
        assertTrue(out.contains("\"psp-admit-policy\":\"a-restricted\""), out);
    }

    @Test
    void theSampleAnswersAReview() {
        String out = answer(TestEngines.shared(), Reviews.bytes("pod-create-privileged.json"));
        assertTrue(out.contains("\"allowed\":false"), out);
        assertTrue(out.contains("[pss-test-privileged]"), out);
    }

    @Test
    void theReadmeShowsExactlyTheseSamples() throws IOException {
        List<String> source = Files.readAllLines(ROOT.resolve("adapters/admission/src/test/java/io/kubeward/admission/ReadmeSampleTest.java"));
        String readme = Files.readString(ROOT.resolve("adapters/admission/README.md"));
        for (String marker : List.of("README", "README-psp")) {
            int begin = source.indexOf("        // " + marker + ":begin");
            int end = source.indexOf("        // " + marker + ":end");
            assertTrue(begin > 0 && end > begin, marker);
            for (String line : source.subList(begin + 1, end)) {
                String code = line.substring(8);
                assertTrue(readme.contains(code), "README.md must contain the sample line: " + code);
            }
        }
        assertEquals(-1, readme.indexOf("\t"), "no tabs");
    }
}
