package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.Finding;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the README's embedding sample honest: the code below is the README's, and it runs. */
class ReadmeExampleTest {

    static List<String> embed(Path manifests) {
        List<String> out = new ArrayList<>();
        // README:begin
        PolicyEngine engine = PolicyEngine.builder().build();      // once: loads the built-in rule packs
        ReadResult read = new ManifestReader().read(manifests);      // files, folders, multi-document YAML
        read.errors().forEach(e -> out.add("input error: " + e.display()));
        EvaluationResult result = engine.evaluateSnapshot(read.objects());
        for (Finding f : result.findings()) {
            out.add(f.severity().label() + " " + f.rule() + " " + f.resource().display() + " " + f.path());
        }
        // README:end
        return out;
    }

    @Test
    void theSampleRunsAndFindsTheChapterPod() {
        List<String> lines = embed(CliRun.ROOT.resolve("examples/chapter/pod-with-host-network.yaml"));
        assertTrue(lines.contains("high host-network Pod/pod-with-host-network spec.hostNetwork"), lines.toString());
    }

    @Test
    void theReadmeShowsExactlyThisSample() throws IOException {
        List<String> source = Files.readAllLines(CliRun.ROOT.resolve("adapters/cli/src/test/java/io/kubeward/cli/ReadmeExampleTest.java"));
        int begin = source.indexOf("        // README:begin");
        int end = source.indexOf("        // README:end");
        String readme = Files.readString(CliRun.ROOT.resolve("README.md"));
        for (String line : source.subList(begin + 1, end)) {
            String code = line.length() >= 8 ? line.substring(8) : line.strip();
            assertTrue(readme.contains(code), "README.md must contain the sample line: " + code);
        }
    }
}
