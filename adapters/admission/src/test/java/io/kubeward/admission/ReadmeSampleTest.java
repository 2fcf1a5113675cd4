package io.kubeward.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.engine.PolicyEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keeps the README's in-process sample honest: the code below is the README's, and it runs. */
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

    @Test
    void theSampleAnswersAReview() {
        String out = answer(TestEngines.shared(), Reviews.bytes("pod-create-privileged.json"));
        assertTrue(out.contains("\"allowed\":false"), out);
        assertTrue(out.contains("[pss-test-privileged]"), out);
    }

    @Test
    void theReadmeShowsExactlyThisSample() throws IOException {
        List<String> source = Files.readAllLines(ROOT.resolve("adapters/admission/src/test/java/io/kubeward/admission/ReadmeSampleTest.java"));
        int begin = source.indexOf("        // README:begin");
        int end = source.indexOf("        // README:end");
        assertTrue(begin > 0 && end > begin);
        String readme = Files.readString(ROOT.resolve("adapters/admission/README.md"));
        for (String line : source.subList(begin + 1, end)) {
            String code = line.substring(8);
            assertTrue(readme.contains(code), "README.md must contain the sample line: " + code);
        }
        assertEquals(-1, readme.indexOf("\t"), "no tabs");
    }
}
