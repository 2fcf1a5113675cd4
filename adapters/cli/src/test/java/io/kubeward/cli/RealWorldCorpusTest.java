package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Scans the real install manifests of the team's corpus ({@code ../shared/corpus/real-world}): every
 * document is read and either evaluated or counted as not evaluated, nothing fails, and the
 * host-namespace rules report exactly what the corpus index counts in each file.
 */
class RealWorldCorpusTest {

    static final Path CORPUS = Path.of(System.getProperty("kubeward.shared", "../../../shared"), "corpus", "real-world");
    static PolicyEngine engine;

    @BeforeAll
    static void build() {
        engine = PolicyEngine.builder().build();
    }

    @TestFactory
    List<DynamicTest> everyFileOfTheCorpus() throws IOException {
        if (!Files.isRegularFile(CORPUS.resolve("index.tsv"))) {
            String why = "SKIPPED RealWorldCorpusTest: the shared corpus is not at " + CORPUS.toAbsolutePath()
                    + " (a fresh clone without ../shared)";
            System.err.println(why);
            assumeTrue(false, why);
        }
        List<DynamicTest> tests = new ArrayList<>();
        List<String> rows = Files.readAllLines(CORPUS.resolve("index.tsv"));
        List<String> header = List.of(rows.get(0).split("\t"));
        ManifestReader reader = new ManifestReader();
        for (String row : rows.subList(1, rows.size())) {
            String[] cols = row.split("\t");
            String file = cols[header.indexOf("file")];
            tests.add(DynamicTest.dynamicTest(file, () -> {
                ReadResult read = reader.read(CORPUS.resolve(file));
                assertEquals(List.of(), read.errors(), file + " reads without errors");
                assertEquals(Integer.parseInt(cols[header.indexOf("docs")]), read.objects().size(), file + ": every document is an object");
                EvaluationResult result = engine.evaluateSnapshot(read.objects());
                assertEquals(read.objects().size(), result.evaluated() + result.skipped().size(),
                        file + ": every object is evaluated or counted as not evaluated");
                assertEquals(count(cols, header, "hostNetwork"), count(result, "host-network", "hostNetwork"), file + " hostNetwork");
                assertEquals(count(cols, header, "hostPID"), count(result, "host-pid", "hostPID"), file + " hostPID");
                assertEquals(count(cols, header, "hostIPC"), count(result, "host-ipc", "hostIPC"), file + " hostIPC");
                assertEquals(count(cols, header, "hostPort"), count(result, "host-port", "hostPort"), file + " hostPort");
            }));
        }
        return tests;
    }

    static int count(String[] cols, List<String> header, String column) {
        return Integer.parseInt(cols[header.indexOf(column)]);
    }

    static long count(EvaluationResult result, String rule, String field) {
        return result.findings().stream().filter(f -> f.rule().equals(rule) && f.path().endsWith("." + field)).map(Finding::path).count();
    }
}
