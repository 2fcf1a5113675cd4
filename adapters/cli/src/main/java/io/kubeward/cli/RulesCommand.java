package io.kubeward.cli;

import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleDescriptor;
import io.kubeward.manifest.RuleExamples;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kubeward rules}: the rule catalogue, its docs, and tools for rule authors. */
@Command(name = "rules",
        description = "Lists every rule with its id, severity, category and title; subcommands explain, document, test and create rules.",
        mixinStandardHelpOptions = true,
        subcommands = {RulesCommand.Explain.class, RulesCommand.Docs.class, RulesCommand.Test.class, RulesCommand.New.class})
final class RulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Mixin
    EngineOptions engineOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!output.equals("text") && !output.equals("json")) {
            err.println("kubeward rules: unknown output format '" + output + "'; expected text or json");
            return KubewardCommand.INPUT_ERROR;
        }
        PolicyEngine engine = engineOptions.build(err);
        if (engine == null) {
            return KubewardCommand.INPUT_ERROR;
        }
        if (output.equals("json")) {
            List<Map<String, Object>> rules = engine.catalog().all().stream().map(RulesCommand::toMap).toList();
            out.println(Json.write(Map.of("rules", rules)));
            return KubewardCommand.OK;
        }
        int idWidth = engine.catalog().all().stream().mapToInt(d -> d.id().length()).max().orElse(2);
        int catWidth = engine.catalog().all().stream().mapToInt(d -> d.category().length()).max().orElse(8);
        out.printf("%-" + idWidth + "s  %-8s  %-" + catWidth + "s  %s%n", "ID", "SEVERITY", "CATEGORY", "TITLE");
        for (RuleDescriptor d : engine.catalog().all()) {
            out.printf("%-" + idWidth + "s  %-8s  %-" + catWidth + "s  %s%n", d.id(), d.severity().label(), d.category(),
                    d.title() + (d.optIn() ? " (opt-in: --enable " + d.id() + ")" : ""));
        }
        out.println();
        out.println(engine.catalog().size() + " rules. 'kubeward rules explain ID' tells more of one.");
        return KubewardCommand.OK;
    }

    static Map<String, Object> toMap(RuleDescriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("severity", d.severity().label());
        m.put("category", d.category());
        m.put("title", d.title());
        m.put("rationale", d.rationale());
        m.put("remediation", d.remediation());
        m.put("fields", d.fields());
        m.put("docs", d.docs());
        m.put("optIn", d.optIn());
        return m;
    }

    @Command(name = "explain", description = "Prints a rule's documentation: metadata, rationale, remediation and examples.",
            mixinStandardHelpOptions = true)
    static final class Explain implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @ParentCommand
        RulesCommand parent;
        @Parameters(paramLabel = "ID", description = "The rule id.")
        String id;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PolicyEngine engine = parent.engineOptions.build(err);
            if (engine == null) {
                return KubewardCommand.INPUT_ERROR;
            }
            Optional<RuleDescriptor> d = engine.catalog().find(id);
            if (d.isEmpty()) {
                err.println("kubeward rules explain: no rule '" + id + "'; 'kubeward rules' lists them");
                return KubewardCommand.INPUT_ERROR;
            }
            spec.commandLine().getOut().print(new RuleDocs(engine.catalog(), RulesCommand.class.getClassLoader()).page(d.get()));
            return KubewardCommand.OK;
        }
    }

    @Command(name = "docs", description = "Writes the rule documentation (one page per rule and an index) to a folder.",
            mixinStandardHelpOptions = true)
    static final class Docs implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @ParentCommand
        RulesCommand parent;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write, e.g. docs/rules.")
        Path out;
        @Option(names = "--check", description = "Write nothing; exit 1 when the folder differs from what would be written.")
        boolean check;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            PolicyEngine engine = parent.engineOptions.build(err);
            if (engine == null) {
                return KubewardCommand.INPUT_ERROR;
            }
            Map<String, String> pages = new RuleDocs(engine.catalog(), RulesCommand.class.getClassLoader()).pages();
            List<String> stale = stale(out, pages);
            if (check) {
                if (stale.isEmpty()) {
                    spec.commandLine().getOut().println(out + " is up to date (" + pages.size() + " pages).");
                    return KubewardCommand.OK;
                }
                err.println(out + " is stale; run 'bin/kubeward rules docs --out " + out + "'. Differs: " + stale);
                return KubewardCommand.FINDINGS;
            }
            Files.createDirectories(out);
            try (Stream<Path> old = Files.list(out)) {
                for (Path p : old.filter(p -> p.toString().endsWith(".md") && !pages.containsKey(p.getFileName().toString())).toList()) {
                    Files.delete(p);
                }
            }
            for (Map.Entry<String, String> e : pages.entrySet()) {
                Files.writeString(out.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            }
            spec.commandLine().getOut().println("wrote " + pages.size() + " pages to " + out);
            return KubewardCommand.OK;
        }

        /** The pages that are missing, different or left over in the folder. */
        static List<String> stale(Path dir, Map<String, String> pages) throws IOException {
            List<String> out = new ArrayList<>();
            TreeSet<String> present = new TreeSet<>();
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(p -> p.toString().endsWith(".md")).forEach(p -> present.add(p.getFileName().toString()));
                }
            }
            for (Map.Entry<String, String> e : pages.entrySet()) {
                Path p = dir.resolve(e.getKey());
                if (!present.contains(e.getKey()) || !Files.readString(p, StandardCharsets.UTF_8).equals(e.getValue())) {
                    out.add(e.getKey());
                }
            }
            for (String name : present) {
                if (!pages.containsKey(name)) {
                    out.add(name + " (left over)");
                }
            }
            return out;
        }
    }

    @Command(name = "test",
            description = {"Runs the examples of a folder of rules: in each rule folder (named like the rule id),",
                "allowed-*.yaml must give no finding of the rule and disallowed-*.yaml at least one",
                "(# expect-path: and # profile: comment lines refine an example)."},
            mixinStandardHelpOptions = true)
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "DIR", description = "The folder of rules, as given to --rules.")
        Path dir;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isDirectory(dir)) {
                err.println("kubeward rules test: " + dir + " is not a folder");
                return KubewardCommand.INPUT_ERROR;
            }
            EngineOptions options = new EngineOptions();
            options.ruleDirs.add(dir);
            PolicyEngine engine = options.build(err);
            if (engine == null) {
                return KubewardCommand.INPUT_ERROR;
            }
            List<Path> folders;
            try (Stream<Path> s = Files.walk(dir)) {
                folders = s.filter(Files::isDirectory).filter(f -> !RuleExamples.examples(f, true).isEmpty()
                        || !RuleExamples.examples(f, false).isEmpty()).sorted().toList();
            }
            RuleExamples examples = new RuleExamples(engine);
            int passed = 0;
            int failed = 0;
            for (Path folder : folders) {
                String rule = folder.getFileName().toString();
                if (engine.catalog().find(rule).isEmpty()) {
                    out.println("FAIL " + rule + ": the folder has examples but no rule of that id");
                    failed++;
                    continue;
                }
                for (RuleExamples.Outcome o : examples.checkFolder(folder)) {
                    out.println((o.passed() ? "PASS " : "FAIL ") + o.rule() + " " + dir.relativize(o.example()) + ": " + o.detail());
                    if (o.passed()) {
                        passed++;
                    } else {
                        failed++;
                    }
                }
            }
            for (RuleDescriptor d : engine.catalog().all()) {
                boolean ownRule = d.origin() != null && Path.of(d.origin()).startsWith(dir);
                boolean hasFolder = folders.stream().anyMatch(f -> f.getFileName().toString().equals(d.id()));
                if (ownRule && !hasFolder) {
                    out.println("FAIL " + d.id() + ": no folder " + d.id() + "/ with allowed-*.yaml and disallowed-*.yaml examples");
                    failed++;
                }
            }
            out.println(passed + " passed, " + failed + " failed");
            return failed == 0 ? KubewardCommand.OK : KubewardCommand.FINDINGS;
        }
    }

    @Command(name = "new", description = "Writes the skeleton of a rule: DRL with its metadata, and an allowed and a disallowed example.",
            mixinStandardHelpOptions = true)
    static final class New implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "ID", description = "The rule id, kebab-case, e.g. no-host-path.")
        String id;
        @Option(names = "--dir", defaultValue = ".", paramLabel = "DIR", description = "The rules folder (default: the current folder).")
        Path dir;
        @Option(names = "--category", defaultValue = "custom", paramLabel = "CATEGORY", description = "The rule's category (default: ${DEFAULT-VALUE}).")
        String category;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            if (!id.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                err.println("kubeward rules new: '" + id + "' is not a kebab-case id (lower-case words joined by '-')");
                return KubewardCommand.INPUT_ERROR;
            }
            Path folder = dir.resolve(id);
            if (Files.exists(folder)) {
                err.println("kubeward rules new: " + folder + " already exists; nothing was written");
                return KubewardCommand.INPUT_ERROR;
            }
            Files.createDirectories(folder);
            String pkg = "rules." + category.replaceAll("[^a-z0-9]", "");
            Files.writeString(folder.resolve(id + ".drl"), """
                    package %s

                    import io.kubeward.engine.model.*;

                    global Findings findings;

                    rule "%s"
                        @severity("medium")
                        @category("%s")
                        @title("TODO: what the rule finds, in a few words")
                        @rationale("TODO: why it matters")
                        @remediation("TODO: what to change")
                        @fields("hostPID")
                        @docs("https://kubernetes.io/docs/")
                    when
                        $w : Workload( hostPID )
                    then
                        findings.report(drools.getRule(), $w, $w.path("hostPID"),
                            $w.getKind() + " " + $w.getName() + ": TODO a message a person can act on");
                    end
                    """.formatted(pkg, id, category));
            Files.writeString(folder.resolve("allowed-example.yaml"), """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: allowed
                    spec:
                      containers:
                        - name: main
                          image: registry.example.com/app:1.0
                    """);
            Files.writeString(folder.resolve("disallowed-example.yaml"), """
                    # expect-path: spec.hostPID
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: disallowed
                    spec:
                      hostPID: true
                      containers:
                        - name: main
                          image: registry.example.com/app:1.0
                    """);
            spec.commandLine().getOut().println("wrote " + folder + "/: " + id + ".drl, allowed-example.yaml, disallowed-example.yaml;"
                    + " edit them, then run 'kubeward rules test " + dir + "'");
            return KubewardCommand.OK;
        }
    }
}
