package io.kubeward.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The block-style shortcut against the full parser: wherever the shortcut reads a document, the
 * values, the field lines and the YAML 1.1 boolean words must be exactly the full parser's, and
 * the full parser must accept the document too. Checked on every manifest of the repository and
 * of the shared corpora, on thousands of random edits of them, and on the forms it must take.
 */
class BlockYamlReaderTest {

    private static final LoadSettings SETTINGS = LoadSettings.builder().setLabel("test").setAllowDuplicateKeys(false)
            .setMaxAliasesForCollections(ReaderLimits.DEFAULT.maxAliases()).setUseMarks(true).build();

    /** The full parser's reading of a chunk, or null when it refuses it or it is not a mapping. */
    private record Full(Object value, int line, Map<String, Integer> lines, Map<String, Boolean> booleans) {
    }

    private static Full full(String text, int firstLine) {
        try {
            Optional<Node> root = new Compose(SETTINGS).composeString(text);
            if (root.isEmpty()) {
                return null;
            }
            YamlTree tree = new YamlTree(firstLine, ReaderLimits.DEFAULT.maxValues(), ReaderLimits.DEFAULT.maxDepth());
            Object value = tree.convert(root.get());
            int line = root.get().getStartMark().map(m -> m.getLine() + firstLine).orElse(firstLine);
            return new Full(value, line, tree.lines(), tree.yaml11Booleans());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static BlockYamlReader.Result block(String text, int firstLine) {
        return BlockYamlReader.read(text, firstLine, ReaderLimits.DEFAULT.maxValues(), ReaderLimits.DEFAULT.maxDepth(),
                SETTINGS.getSchema().getScalarResolver());
    }

    /** Compares one chunk; true when the shortcut read it. */
    private static boolean agrees(String where, String text, int firstLine) {
        BlockYamlReader.Result b = block(text, firstLine);
        if (b == null) {
            return false;
        }
        Full f = full(text, firstLine);
        if (f == null) {
            fail(where + ": read by the shortcut but refused by the full parser (or not a mapping):\n" + text);
        }
        if (!deepEquals(f.value(), b.value())) {
            fail(where + ": values differ\n full:  " + f.value() + "\n block: " + b.value() + "\n" + text);
        }
        assertEquals(List.copyOf(f.lines().entrySet()), List.copyOf(b.lines().entrySet()), where + ": field lines differ\n" + text);
        // looked up one by one, as findings do, without listing them
        f.lines().forEach((path, line) -> assertEquals(line, b.lines().get(path), where + ": line of " + path + "\n" + text));
        assertEquals(f.booleans(), b.yaml11Booleans(), where + ": YAML 1.1 boolean words differ\n" + text);
        assertEquals(f.line(), b.line(), where + ": document line differs\n" + text);
        return true;
    }

    /** Equal values of equal classes, maps in the same key order. */
    private static boolean deepEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.getClass() != b.getClass()) {
            return false;
        }
        if (a instanceof Map<?, ?> ma) {
            Map<?, ?> mb = (Map<?, ?>) b;
            if (!List.copyOf(ma.keySet()).equals(List.copyOf(mb.keySet()))) {
                return false;
            }
            return ma.keySet().stream().allMatch(k -> deepEquals(ma.get(k), mb.get(k)));
        }
        if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!deepEquals(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static List<Path> yamlFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !root.relativize(p).toString().contains("target"))
                    .sorted().toList();
        }
    }

    private static Path repository() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("rules").resolve("src"))) {
            p = p.getParent();
        }
        return p;
    }

    private static int[] compareFiles(List<Path> files) throws IOException {
        int chunks = 0;
        int read = 0;
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            for (YamlDocuments.Chunk chunk : YamlDocuments.split(text)) {
                chunks++;
                if (agrees(file + " at line " + chunk.firstLine(), chunk.text(), chunk.firstLine())) {
                    read++;
                }
            }
        }
        return new int[] {chunks, read};
    }

    @Test
    void agreesWithTheFullParserOnTheRepositorysManifests() throws IOException {
        Path repo = repository();
        assertNotNull(repo, "repository root not found");
        List<Path> files = new ArrayList<>();
        for (String dir : new String[] {"rules/src/main/resources", "examples", "features", "deploy", "adapters"}) {
            files.addAll(yamlFiles(repo.resolve(dir)));
        }
        int[] r = compareFiles(files);
        System.out.printf("block-style shortcut: %d of %d documents of the repository%n", r[1], r[0]);
        assertTrue(r[0] > 200, "the repository's manifests were not found");
        // the rule examples are plain block style: nearly all must take the shortcut, or it saves nothing
        assertTrue(r[1] > r[0] * 0.8, r[1] + " of " + r[0] + " documents read by the shortcut");
    }

    @Test
    void agreesWithTheFullParserOnTheSharedCorpora() throws IOException {
        String shared = System.getProperty("kubeward.shared");
        Path root = shared == null ? null : Path.of(shared);
        Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve("corpus")),
                "shared corpora not found (" + root + "): skipped");
        List<Path> files = new ArrayList<>(yamlFiles(root.resolve("corpus")));
        files.addAll(yamlFiles(root.resolve("conformance")));
        int[] r = compareFiles(files);
        System.out.printf("block-style shortcut: %d of %d documents of the shared corpora%n", r[1], r[0]);
        assertTrue(r[1] > r[0] / 2, r[1] + " of " + r[0] + " documents read by the shortcut");
    }

    /** Random edits with the characters that matter to YAML: agreement, or the full parser reads it. */
    @Test
    void agreesWithTheFullParserOnRandomEdits() throws IOException {
        List<String> seeds = new ArrayList<>(List.of(SAMPLE));
        Path repo = repository();
        List<Path> examples = yamlFiles(repo.resolve("rules/src/main/resources"));
        for (int i = 0; i < examples.size(); i += Math.max(1, examples.size() / 40)) {
            seeds.add(Files.readString(examples.get(i)));
        }
        Random random = new Random(20261125);
        String alphabet = " \n:-#\"'|>[]{},&*!?%\\@`a1.~+<\u00e9";
        int read = 0;
        int total = 0;
        for (String seed : seeds) {
            for (int round = 0; round < 150; round++) {
                StringBuilder sb = new StringBuilder(seed);
                int edits = 1 + random.nextInt(3);
                for (int e = 0; e < edits && sb.length() > 0; e++) {
                    int at = random.nextInt(sb.length());
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    switch (random.nextInt(3)) {
                        case 0 -> sb.insert(at, c);
                        case 1 -> sb.deleteCharAt(at);
                        default -> sb.setCharAt(at, c);
                    }
                }
                for (YamlDocuments.Chunk chunk : YamlDocuments.split(sb.toString())) {
                    total++;
                    if (agrees("edit " + round + " of a seed", chunk.text(), chunk.firstLine())) {
                        read++;
                    }
                }
            }
        }
        System.out.printf("block-style shortcut: %d of %d edited documents%n", read, total);
        assertTrue(read > total / 4, "the edits should leave many documents in the block style");
    }

    private static final String SAMPLE = """
            # a comment before the document
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web   # trailing comment
              labels: {}
              annotations:
                "example.com/quoted": 'it''s'
                plain.example.com/key: "tab\\there \\u00e9"
                empty:
            spec:
              replicas: 3
              template:
                spec:
                  hostNetwork: yes
                  containers:
                  - name: app
                    image: nginx:1.27
                    args: [--port, "8080", -v, 'x y']
                    command:
                      - sh
                      - -c
                      - |
                        echo one
                          two

                        three
                    ports:
                    -   containerPort: 8080
                        hostPort: 0x1F90
                      # a comment at another indentation
                    securityContext:
                      privileged: false
                      runAsUser: -1
                      seccompProfile: {type: RuntimeDefault}
                      capabilities: {drop: ["ALL"], add: []}
                      sysctls: [{name: a.b, value: "1"}, {name: c, value: on}]
                  - name: side
                    env:
                    - name: A
                      value: |-
                        kept
                    - name: B
                      value: 1.5e3
                    - name: C
                      value: ~
                    - name: D
                      value: null
                    - name: E
                      value: ${HOME}
            """;

    @Test
    void readsTheCommonFormsItself() {
        String doc = SAMPLE;
        assertTrue(agrees("sample", doc, 1), "the sample is plain block style");
        BlockYamlReader.Result r = block(doc, 1);
        assertEquals(Boolean.TRUE, r.yaml11Booleans().get("spec.template.spec.hostNetwork"));
        assertEquals(17, r.lines().get("spec.template.spec.containers[0].name"));
    }

    /** Plain scalars are typed as the full parser types them, the shortcut's quick path included. */
    @ParameterizedTest
    @ValueSource(strings = {"true", "True", "false", "tRUE", "n", "null", "Null", "NULL", "~", "-1", "-0", "007", "1e3",
        "1.5E-3", ".5", "-.inf", ".nan", ".NaN", "$HOME", "$", "yes", "Off", "0x10", "0o17", "+1", "1_000", "2026-11-25",
        "1:30", "text", "Text with spaces", "12345678901234567890", "-2147483649", "3.", "é"})
    void typesPlainScalarsAsTheFullParser(String plain) {
        String doc = "a: " + plain + "\nb: [" + plain.replace(":", "") + "]\nc:\n- " + plain + "\n";
        assertTrue(agrees(plain, doc, 1), "read by the shortcut: " + doc);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a: &x 1\nb: *x\n",                       // anchors and aliases
        "a: !!str 1\n",                            // tags
        "<<: {a: 1}\nb: 2\n",                      // merge keys
        "a: 1\na: 2\n",                            // duplicates
        "a: >\n  folded\n",                        // folded scalars
        "a: |+\n  kept\n\n",                       // kept line breaks
        "a: |2\n   x\n",                           // indentation indicators
        "a: plain\n  continued\n",                 // multi-line plain scalars
        "a: \"open\n  quote\"\n",                  // multi-line quoted scalars
        "a:\n\tb: 1\n",                            // tabs
        "? complex\n: key\n",                      // complex keys
        "a: [1,\n  2]\n",                         // flow collections over lines
        "a: {b}\n",                                // flow keys without a value
        "a: [b: 1]\n",                             // single-pair mappings in flow sequences
        "- a\n- b\n",                              // not a mapping
        "a: b: c\n",                               // malformed
        "a:\n  - x\n  b: 1\n",                     // malformed
        "a: 'x' y\n",                              // malformed
        "%YAML 1.2\na: 1\n",                       // directives
        "a: \"\\N\"\n",                            // escapes left to the full parser
    })
    void leavesEverythingElseToTheFullParser(String text) {
        assertNull(block(text, 1), text);
    }
}
