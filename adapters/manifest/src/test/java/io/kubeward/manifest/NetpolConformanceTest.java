package io.kubeward.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubeward.engine.InputObject;
import io.kubeward.engine.network.Connectivity;
import io.kubeward.engine.network.NetworkPolicyAnalyzer;
import io.kubeward.engine.network.NetworkPolicyValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The NetworkPolicy connectivity corpus in {@code <shared>/conformance/netpol-analyzer}: every case
 * of {@code cases.tsv} is read in place (all manifest files of its folder, not recursively) and
 * analysed. A {@code connlist} case must produce exactly the expected file, line by line; a
 * {@code fatal-error} case must stop with a {@link NetworkPolicyValidationException} naming the
 * policy and the field at fault.
 */
class NetpolConformanceTest {

    /**
     * Cases where kubeward deliberately differs from the corpus, with the reason. Empty: every case
     * is matched exactly.
     */
    static final Map<String, String> DELIBERATE_DIFFERENCES = Map.of();

    /** The field each error case must name, by case folder. */
    static final Map<String, String> ERROR_FIELDS = Map.of(
            "tests/bad_netpols/subdir1", "spec.ingress[2].from[0].ipBlock.cidr",
            "tests/bad_netpols/subdir2", "spec.podSelector.matchLabels",
            "tests/bad_netpols/subdir3", "spec.ingress[0].from[0]",
            "tests/bad_netpols/subdir4", "spec.ingress[0].from[0]",
            "tests/bad_netpols/subdir6", "spec.egress[0].ports[0].port",
            "tests/bad_netpols/subdir7", "spec.egress[0].to[0].podSelector.matchLabels.app",
            "tests/np_bad_path_test_1", "metadata.name",
            "tests/np_bad_path_test_2", "spec.ingress[1].ports[0].endPort",
            "tests/np_test_with_empty_port_range", "spec.egress[0].ports[1].endPort");

    static final ManifestReader reader = new ManifestReader();

    record Case(String dir, String expect, String expectedOutput, int lines, String what) {
    }

    static Path corpus() {
        String shared = System.getProperty("kubeward.shared");
        Path dir = shared == null ? null : Path.of(shared, "conformance", "netpol-analyzer");
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(dir.resolve("cases.tsv")),
                "NetworkPolicy conformance corpus not found (" + dir + "): skipped");
        return dir;
    }

    static List<Case> cases(Path corpus) throws IOException {
        List<Case> out = new ArrayList<>();
        List<String> rows = Files.readAllLines(corpus.resolve("cases.tsv"));
        for (String row : rows.subList(1, rows.size())) {
            if (row.isBlank()) {
                continue;
            }
            String[] f = row.split("\t", -1);
            out.add(new Case(f[0], f[1], f[2], f[3].equals("-") ? -1 : Integer.parseInt(f[3]), f[4]));
        }
        return out;
    }

    /** Every manifest file directly in the folder, in name order. */
    static List<InputObject> read(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
            }).sorted().toList();
        }
        List<InputObject> objects = new ArrayList<>();
        for (Path f : files) {
            ReadResult r = reader.read(f);
            assertEquals(List.of(), r.errors(), "reading " + f);
            objects.addAll(r.objects());
        }
        assertFalse(objects.isEmpty(), dir + " holds no objects");
        return objects;
    }

    @TestFactory
    List<DynamicTest> corpusCases() throws IOException {
        Path corpus = corpus();
        List<Case> cases = cases(corpus);
        assertEquals(33, cases.size(), "cases.tsv rows");
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            if (DELIBERATE_DIFFERENCES.containsKey(c.dir())) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(c.dir(), () -> {
                List<InputObject> objects = read(corpus.resolve(c.dir()));
                switch (c.expect()) {
                    case "connlist" -> {
                        List<String> expected = Files.readAllLines(corpus.resolve(c.expectedOutput()));
                        assertEquals(c.lines(), expected.size(), "line count in cases.tsv");
                        Connectivity result = NetworkPolicyAnalyzer.analyze(objects);
                        assertLines(expected, result.connlist(), c);
                    }
                    case "fatal-error" -> {
                        NetworkPolicyValidationException e = assertThrows(NetworkPolicyValidationException.class,
                                () -> NetworkPolicyAnalyzer.analyze(objects), c.dir() + " must fail: " + c.what());
                        String field = ERROR_FIELDS.get(c.dir());
                        assertTrue(e.problems().stream().anyMatch(p -> p.field().equals(field)),
                                c.dir() + ": expected a problem at " + field + ", got: " + e.getMessage());
                        assertTrue(e.getMessage().contains("NetworkPolicy " + e.policy()), e.getMessage());
                        assertTrue(e.problems().stream().allMatch(p -> p.location() != null && p.location().line() > 0),
                                "each problem names its file and line: " + e.getMessage());
                    }
                    default -> fail("unknown expectation " + c.expect() + " in cases.tsv");
                }
            }));
        }
        return tests;
    }

    private static void assertLines(List<String> expected, List<String> actual, Case c) {
        if (expected.equals(actual)) {
            return;
        }
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        List<String> extra = new ArrayList<>(actual);
        extra.removeAll(expected);
        StringBuilder sb = new StringBuilder(c.dir() + " (" + c.what() + "): connlist differs");
        sb.append("\n missing (").append(missing.size()).append("):");
        missing.stream().limit(15).forEach(l -> sb.append("\n   ").append(l));
        sb.append("\n unexpected (").append(extra.size()).append("):");
        extra.stream().limit(15).forEach(l -> sb.append("\n   ").append(l));
        if (missing.isEmpty() && extra.isEmpty()) {
            sb.append("\n same lines, different order");
        }
        fail(sb.toString());
    }
}
