package io.kubeward.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.Finding;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleDescriptor;
import io.kubeward.engine.RuleSource;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The built-in packs: they compile without warnings, every rule carries its metadata, the index
 * lists every DRL file, and every rule folder's examples behave: {@code allowed-*.yaml} gives no
 * finding of the rule, {@code disallowed-*.yaml} at least one, at the paths its
 * {@code # expect-path:} lines name. Each example runs more than 20 times, past the point where
 * Drools compiles constraints to bytecode, so operator bugs that only show after JIT are caught.
 *
 * <p>Examples run with no Pod Security Standards profile, unless the rule folder holds a
 * {@code profile.txt} naming one ({@code restricted:latest}, {@code baseline:v1.29}); an example's
 * own {@code # profile: <level>:<version>} line overrides the folder's. An opt-in rule
 * ({@code @optIn("true")}) runs its examples with itself enabled. The disallowed examples of a
 * folder with a profile, or of an opt-in rule, must give no finding without the profile or the
 * opt-in: such rules run only on request.
 */
class RulePackTest {

    static final Path RULES = Path.of("src/main/resources/kubeward/rules");
    static final int RUNS = 25;
    static final String PROFILE_FILE = "profile.txt";
    static PolicyEngine engine;
    static final ManifestReader reader = new ManifestReader();

    @BeforeAll
    static void build() {
        engine = PolicyEngine.builder().build();
    }

    @Test
    void compilesWithoutWarnings() {
        assertEquals(List.of(), engine.warnings());
        assertTrue(engine.catalog().size() >= 6, "built-in rules found: " + engine.catalog().size());
    }

    @Test
    void everyRuleHasItsMetadata() {
        for (RuleDescriptor d : engine.catalog().all()) {
            assertTrue(d.id().matches("[a-z0-9]+(-[a-z0-9]+)*"), d.id() + ": ids are kebab-case");
            assertFalse(d.title().equals(d.id()) || d.title().isBlank(), d.id() + ": @title missing");
            assertFalse(d.rationale().isBlank(), d.id() + ": @rationale missing");
            assertFalse(d.remediation().isBlank(), d.id() + ": @remediation missing");
            assertFalse(d.docs().isBlank(), d.id() + ": @docs missing");
            assertFalse(d.fields().isEmpty(), d.id() + ": @fields missing");
            assertFalse(d.category().equals(d.pack()), d.id() + ": @category missing");
        }
    }

    @Test
    void indexListsEveryDrlFile() throws IOException {
        Set<String> onDisk;
        try (Stream<Path> s = Files.walk(RULES)) {
            onDisk = s.filter(p -> p.toString().endsWith(".drl"))
                    .map(p -> "kubeward/rules/" + RULES.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> indexed = RuleSource.builtin(getClass().getClassLoader()).stream()
                .map(RuleSource::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(onDisk, indexed, "src/main/resources/" + RuleSource.INDEX + " must list every DRL file");
    }

    @Test
    void everyRuleHasAFolderWithExamples() throws IOException {
        Set<String> folders = ruleFolders().stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        for (RuleDescriptor d : engine.catalog().all()) {
            assertTrue(folders.contains(d.id()), d.id() + ": no rule folder with examples");
        }
        for (Path folder : ruleFolders()) {
            assertFalse(examples(folder, "allowed-").isEmpty(), folder + ": no allowed-*.yaml example");
            assertFalse(examples(folder, "disallowed-").isEmpty(), folder + ": no disallowed-*.yaml example");
        }
    }

    @TestFactory
    List<DynamicTest> examples() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path folder : ruleFolders()) {
            String rule = folder.getFileName().toString();
            for (Path example : examples(folder, "allowed-")) {
                tests.add(DynamicTest.dynamicTest(rule + "/" + example.getFileName(), () -> {
                    EvaluationOptions options = optionsOf(rule, example);
                    for (int i = 0; i < RUNS; i++) {
                        List<Finding> found = findingsOf(rule, example, options);
                        if (!found.isEmpty()) {
                            fail(example + " must not trip " + rule + " but got: " + found.get(0).path() + " " + found.get(0).message());
                        }
                    }
                }));
            }
            for (Path example : examples(folder, "disallowed-")) {
                tests.add(DynamicTest.dynamicTest(rule + "/" + example.getFileName(), () -> {
                    Set<String> expected = expectedPaths(example);
                    EvaluationOptions options = optionsOf(rule, example);
                    for (int i = 0; i < RUNS; i++) {
                        List<Finding> found = findingsOf(rule, example, options);
                        assertFalse(found.isEmpty(), example + " must trip " + rule);
                        Set<String> paths = found.stream().map(Finding::path).collect(Collectors.toSet());
                        assertTrue(paths.containsAll(expected), example + ": expected paths " + expected + ", got " + paths);
                    }
                }));
            }
        }
        return tests;
    }

    static List<Finding> findingsOf(String rule, Path example, EvaluationOptions options) {
        ReadResult read = reader.read(example);
        assertEquals(List.of(), read.errors(), "example " + example + " must be valid input");
        EvaluationResult result = engine.evaluateSnapshot(read.objects(), options);
        return result.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    /**
     * The options an example runs under: the profile of its own {@code # profile:} line, else of its
     * folder's profile.txt, else none; the rule enabled when it is an opt-in rule.
     */
    static EvaluationOptions optionsOf(String rule, Path example) throws IOException {
        EvaluationOptions options = profileOf(example);
        return isOptIn(rule) ? options.withOptInRules(rule) : options;
    }

    static boolean isOptIn(String rule) {
        return engine.catalog().find(rule).map(RuleDescriptor::optIn).orElse(false);
    }

    static EvaluationOptions profileOf(Path example) throws IOException {
        String spec = Files.readAllLines(example).stream()
                .filter(l -> l.startsWith("# profile:"))
                .map(l -> l.substring("# profile:".length()).strip())
                .findFirst()
                .orElse(null);
        Path folderProfile = example.resolveSibling(PROFILE_FILE);
        if (spec == null && Files.isRegularFile(folderProfile)) {
            spec = Files.readAllLines(folderProfile).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(folderProfile + " names no profile"));
        }
        return spec == null ? EvaluationOptions.DEFAULT : new EvaluationOptions(parseProfile(spec, example));
    }

    /** {@code <level>:<version>}, e.g. {@code restricted:latest} or {@code baseline:v1.18}. */
    static PodSecurityProfile parseProfile(String spec, Path where) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(where + ": profile '" + spec + "' must read <level>:<version>, e.g. restricted:latest");
        }
        return PodSecurityProfile.of(spec.substring(0, colon), spec.substring(colon + 1));
    }

    @TestFactory
    List<DynamicTest> rulesOnRequestStayQuietUnrequested() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path folder : ruleFolders()) {
            String rule = folder.getFileName().toString();
            if (!Files.isRegularFile(folder.resolve(PROFILE_FILE)) && !isOptIn(rule)) {
                continue;
            }
            for (Path example : examples(folder, "disallowed-")) {
                tests.add(DynamicTest.dynamicTest(rule + "/" + example.getFileName() + " unrequested", () -> {
                    List<Finding> found = findingsOf(rule, example, EvaluationOptions.DEFAULT);
                    assertEquals(List.of(), found, example + " must not trip " + rule + " without a profile or opt-in");
                }));
            }
        }
        return tests;
    }

    static Set<String> expectedPaths(Path example) throws IOException {
        return Files.readAllLines(example).stream()
                .filter(l -> l.startsWith("# expect-path:"))
                .map(l -> l.substring("# expect-path:".length()).strip())
                .collect(Collectors.toSet());
    }

    static List<Path> ruleFolders() throws IOException {
        try (Stream<Path> packs = Files.list(RULES)) {
            List<Path> out = new ArrayList<>();
            for (Path pack : packs.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> rules = Files.list(pack)) {
                    rules.filter(Files::isDirectory).sorted().forEach(out::add);
                }
            }
            return out;
        }
    }

    static List<Path> examples(Path folder, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
