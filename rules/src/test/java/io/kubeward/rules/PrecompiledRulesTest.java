package io.kubeward.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.Finding;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleCompilationException;
import io.kubeward.engine.RuleCompilationException.RuleError;
import io.kubeward.engine.RuleDescriptor;
import io.kubeward.engine.RuleSource;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in packs come precompiled to the executable model (META-INF/kubeward/rules.model) and
 * behave exactly as their DRL compiled when an engine starts: the same catalogue (every rule's
 * metadata and origin) and the same findings for every rule example and for the real-world corpus,
 * with no profile, at baseline and at restricted, opt-in rules on, as an engine on a class path
 * without the model, which compiles the DRL. Rules of the user's are compiled and run in the same
 * session as the precompiled ones.
 */
class PrecompiledRulesTest {

    static final String MODEL_MARKER = "META-INF/kubeward/rules.model";
    static final ClassLoader LOADER = PrecompiledRulesTest.class.getClassLoader();
    static final ManifestReader reader = new ManifestReader();
    static PolicyEngine precompiled;
    static PolicyEngine fromDrl;
    static List<EvaluationOptions> optionSets;

    @BeforeAll
    static void build() {
        precompiled = PolicyEngine.builder().build();
        // the class path without the model: the engine falls back to compiling the built-in DRL
        fromDrl = PolicyEngine.builder().classLoader(new MarkerLoader(null)).build();
        List<String> optIns = precompiled.catalog().all().stream().filter(RuleDescriptor::optIn).map(RuleDescriptor::id).toList();
        optionSets = List.of(
                EvaluationOptions.DEFAULT.withOptInRules(optIns),
                new EvaluationOptions(PodSecurityProfile.latest(PodSecurityProfile.Level.BASELINE)).withOptInRules(optIns),
                new EvaluationOptions(PodSecurityProfile.latest(PodSecurityProfile.Level.RESTRICTED)).withOptInRules(optIns),
                new EvaluationOptions(PodSecurityProfile.of("restricted", "v1.24")));
    }

    @Test
    void everyBuiltInRuleLoadsPrecompiled() {
        int declared = 0;
        Matcher m = Pattern.compile("(?m)^rule\\s").matcher("");
        for (RuleSource s : RuleSource.builtin(LOADER)) {
            m.reset(s.drl());
            while (m.find()) {
                declared++;
            }
        }
        assertTrue(declared > precompiled.catalog().size(), "DRL rules declared: " + declared);
        assertEquals(declared, precompiled.precompiledRuleCount(), "every DRL rule of the built-in packs comes precompiled");
        assertEquals(0, fromDrl.precompiledRuleCount());
        assertEquals(List.of(), precompiled.warnings());
    }

    @Test
    void theCatalogueIsTheSameAsFromDrl() {
        assertEquals(new ArrayList<>(fromDrl.catalog().all()), new ArrayList<>(precompiled.catalog().all()));
        for (RuleDescriptor d : precompiled.catalog().all()) {
            assertTrue(d.origin().startsWith("kubeward/rules/") && d.origin().endsWith("/" + d.id() + ".drl"),
                    d.id() + ": origin is its DRL resource, not " + d.origin());
        }
    }

    @TestFactory
    List<DynamicTest> everyExampleGetsTheSameFindingsAsFromDrl() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path folder : RulePackTest.ruleFolders()) {
            List<Path> examples = new ArrayList<>(RulePackTest.examples(folder, "allowed-"));
            examples.addAll(RulePackTest.examples(folder, "disallowed-"));
            for (Path example : examples) {
                tests.add(DynamicTest.dynamicTest(folder.getFileName() + "/" + example.getFileName(), () -> sameFindings(read(example))));
            }
        }
        return tests;
    }

    @Test
    void theRealWorldCorpusGetsTheSameFindingsAsFromDrl() throws IOException {
        Path corpus = Path.of(System.getProperty("kubeward.shared", "../../shared"), "corpus", "real-world");
        Assumptions.assumeTrue(Files.isDirectory(corpus),
                "skipped: no real-world corpus at " + corpus.toAbsolutePath() + " (set -Dkubeward.shared)");
        List<Path> files;
        try (Stream<Path> s = Files.walk(corpus)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        assertTrue(files.size() > 10, "corpus files: " + files.size());
        int findings = 0;
        for (Path f : files) {
            findings += sameFindings(reader.read(f).objects());
        }
        assertTrue(findings > 100, "the corpus gives findings to compare: " + findings);
    }

    /** Evaluates both ways, as one snapshot and object by object; returns how many findings were compared. */
    static int sameFindings(List<InputObject> objects) {
        int compared = 0;
        for (EvaluationOptions o : optionSets) {
            List<Finding> expected = fromDrl.evaluateSnapshot(objects, o).findings();
            assertEquals(expected, precompiled.evaluateSnapshot(objects, o).findings(), "snapshot, " + o);
            assertEquals(fromDrl.evaluateEach(objects, o).findings(), precompiled.evaluateEach(objects, o).findings(), "each, " + o);
            compared += expected.size();
        }
        return compared;
    }

    static List<InputObject> read(Path example) {
        ReadResult r = reader.read(example);
        assertEquals(List.of(), r.errors(), example + " must be valid input");
        return r.objects();
    }

    @Test
    void aModelListingThatIsMissingMeansTheDrlIsCompiled() {
        // one small pack: compiling all of them again would only take longer
        PolicyEngine engine = PolicyEngine.builder().classLoader(new MarkerLoader("META-INF/kie/nobody/nothing/drools-model\n"))
                .onlyBuiltinPacks("kubeward.securitycontext").build();
        assertEquals(0, engine.precompiledRuleCount());
        assertEquals(precompiled.catalog().all().stream().filter(d -> d.pack().equals("kubeward.securitycontext")).toList(),
                new ArrayList<>(engine.catalog().all()));
    }

    @Test
    void chosenBuiltInPacksLoadAlone() {
        PolicyEngine podSecurity = PolicyEngine.builder().onlyBuiltinPacks("kubeward.podsecurity").build();
        List<RuleDescriptor> expected = precompiled.catalog().all().stream().filter(d -> d.pack().equals("kubeward.podsecurity")).toList();
        assertTrue(expected.size() > 10, "pod-security rules: " + expected.size());
        assertEquals(expected, new ArrayList<>(podSecurity.catalog().all()));
        assertTrue(podSecurity.precompiledRuleCount() > 0 && podSecurity.precompiledRuleCount() < precompiled.precompiledRuleCount(),
                "precompiled rules: " + podSecurity.precompiledRuleCount());

        PolicyEngine withoutModel = PolicyEngine.builder().classLoader(new MarkerLoader(null))
                .onlyBuiltinPacks("kubeward.securitycontext", "kubeward.hostnamespaces").build();
        assertEquals(0, withoutModel.precompiledRuleCount());
        assertEquals(precompiled.catalog().all().stream().filter(d -> !d.pack().startsWith("kubeward.pod") && !d.pack().equals("kubeward.network"))
                .toList(), new ArrayList<>(withoutModel.catalog().all()));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PolicyEngine.builder().onlyBuiltinPacks("kubeward.podsecurity", "pod-security").build());
        assertTrue(e.getMessage().contains("'pod-security'") && e.getMessage().contains("kubeward.hostnamespaces, kubeward.network"), e.getMessage());
    }

    @Test
    void userRulesRunInTheSameEvaluationAsThePrecompiledOnes(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("mine.drl"), """
                package acme.rules

                import io.kubeward.engine.model.*;

                global Findings findings;

                rule "acme-host-network"
                    @severity("critical") @title("Our own rule on hostNetwork") @category("acme")
                when
                    $w : Workload( hostNetwork )
                then
                    findings.report(drools.getRule(), $w, $w.path("hostNetwork"), "not on our clusters");
                end
                """);
        Files.writeString(dir.resolve("extra.drl"), """
                package kubeward.hostnamespaces

                import io.kubeward.engine.model.*;

                global Findings findings;

                rule "acme-host-pid"
                    @severity("low")
                when
                    $w : Workload( hostPID )
                then
                    findings.report(drools.getRule(), $w, $w.path("hostPID"), "in a built-in package");
                end
                """);
        PolicyEngine engine = PolicyEngine.builder().addRuleDirectory(dir).build();
        assertEquals(precompiled.precompiledRuleCount(), engine.precompiledRuleCount());
        assertEquals(precompiled.catalog().size() + 2, engine.catalog().size());
        assertEquals(dir.resolve("mine.drl").toString(), engine.catalog().get("acme-host-network").origin());
        assertEquals("acme", engine.catalog().get("acme-host-network").category());
        assertEquals(precompiled.catalog().get("host-network"), engine.catalog().get("host-network"));

        List<InputObject> pod = reader.readString("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default}
                spec:
                  hostNetwork: true
                  hostPID: true
                  containers: [{name: c, image: nginx}]
                """).objects();
        for (int i = 0; i < 25; i++) {
            List<String> rules = engine.evaluateSnapshot(pod).findings().stream().map(f -> f.rule() + " " + f.path()).toList();
            assertTrue(rules.containsAll(List.of("acme-host-network spec.hostNetwork", "host-network spec.hostNetwork",
                    "acme-host-pid spec.hostPID", "host-pid spec.hostPID")), rules.toString());
        }
    }

    @Test
    void aUserRuleNamedAsABuiltInRuleOfItsPackageIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("shadow.drl");
        Files.writeString(file, """
                package kubeward.hostnamespaces

                import io.kubeward.engine.model.*;

                // would replace the built-in rule
                  rule "host-network"
                    @severity("low")
                when
                    $w : Workload( hostNetwork )
                then
                end
                """);
        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> PolicyEngine.builder().addRuleDirectory(dir).build());
        assertEquals(1, e.errors().size(), e.getMessage());
        RuleError error = e.errors().get(0);
        assertEquals(file.toString(), error.file());
        assertEquals(6, error.line());
        assertEquals(3, error.column());
        assertTrue(error.message().contains("host-network") && error.message().contains("host-network.drl"), error.message());
    }

    @Test
    void userCompileErrorsNameFileLineAndColumnBesideThePrecompiledRules(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.drl");
        Files.writeString(file, """
                package acme.rules

                import io.kubeward.engine.model.*;

                rule "acme-broken"
                    @severity("low")
                when
                    $w : Workload( noSuchField == 1 )
                then
                end
                """);
        RuleCompilationException e = assertThrows(RuleCompilationException.class, () -> PolicyEngine.builder().addRuleDirectory(dir).build());
        assertTrue(e.errors().stream().allMatch(x -> x.file().equals(file.toString()) && x.line() >= 5 && x.line() <= 8), e.getMessage());

        Path syntax = dir.resolve("broken.drl");
        Files.writeString(syntax, "package acme.rules\n\nrule \"x\" @severity(\"low\") when Workload( then end\n");
        e = assertThrows(RuleCompilationException.class, () -> PolicyEngine.builder().addRuleDirectory(dir).build());
        assertTrue(e.errors().stream().allMatch(x -> x.file().equals(syntax.toString()) && x.line() == 3), e.getMessage());
        // the column of "end", where the parser stops
        assertTrue(e.errors().stream().anyMatch(x -> x.column() == 47), e.getMessage());
    }

    /** The test class path, with the model marker hidden, or replaced by the given text. */
    static final class MarkerLoader extends ClassLoader {
        private final String marker;

        MarkerLoader(String marker) {
            super(LOADER);
            this.marker = marker;
        }

        @Override
        public URL getResource(String name) {
            if (!name.equals(MODEL_MARKER)) {
                return super.getResource(name);
            }
            return marker == null ? null : textUrl(marker);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (!name.equals(MODEL_MARKER)) {
                return super.getResources(name);
            }
            return Collections.enumeration(marker == null ? List.of() : List.of(textUrl(marker)));
        }

        private static URL textUrl(String text) {
            try {
                return new URL(null, "text:" + MODEL_MARKER, new URLStreamHandler() {
                    @Override
                    protected URLConnection openConnection(URL u) {
                        return new URLConnection(u) {
                            @Override
                            public void connect() {
                            }

                            @Override
                            public InputStream getInputStream() {
                                return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
                            }
                        };
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
