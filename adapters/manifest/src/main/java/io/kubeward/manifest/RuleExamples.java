package io.kubeward.manifest;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.Finding;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The examples convention of rule folders: beside a rule's DRL, {@code allowed-*.yaml} must produce
 * no finding of the rule and {@code disallowed-*.yaml} at least one. Comment lines in an example
 * refine it: {@code # expect-path: <path>} names a field path the rule must report (repeatable), and
 * {@code # profile: restricted:v1.29} evaluates the example under a Pod Security profile; a
 * {@code profile.txt} in the folder sets the profile of all its examples. An opt-in rule is enabled
 * for its own examples.
 */
public final class RuleExamples {

    /** One example's verdict. */
    public record Outcome(String rule, Path example, boolean passed, String detail) {
    }

    private final PolicyEngine engine;
    private final ManifestReader reader = new ManifestReader();

    public RuleExamples(PolicyEngine engine) {
        this.engine = engine;
    }

    /** A rule folder's file naming the profile its examples run under, e.g. {@code restricted:latest}. */
    public static final String PROFILE_FILE = "profile.txt";

    private static PodSecurityProfile profile(String spec) {
        String[] p = spec.split(":", 2);
        return PodSecurityProfile.of(p[0], p.length > 1 ? p[1] : "latest");
    }

    /** The allowed or disallowed examples of a rule folder, sorted. */
    public static List<Path> examples(Path folder, boolean allowed) {
        String prefix = allowed ? "allowed-" : "disallowed-";
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one example against one rule id. */
    public Outcome check(String rule, Path example, boolean allowed) {
        ReadResult read = reader.read(example);
        if (read.hasErrors()) {
            return new Outcome(rule, example, false, "the example is not valid input: " + read.errors().get(0).display());
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(example);
        } catch (IOException e) {
            return new Outcome(rule, example, false, "cannot read: " + e.getMessage());
        }
        EvaluationOptions options = EvaluationOptions.DEFAULT;
        if (engine.catalog().find(rule).map(d -> d.optIn()).orElse(false)) {
            options = options.withOptInRules(rule);
        }
        Path folderProfile = example.resolveSibling(PROFILE_FILE);
        if (Files.isRegularFile(folderProfile)) {
            try {
                for (String l : Files.readAllLines(folderProfile)) {
                    String t = l.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        options = options.withProfile(profile(t));
                        break;
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                return new Outcome(rule, example, false, folderProfile + ": " + e.getMessage());
            }
        }
        Set<String> expectedPaths = new LinkedHashSet<>();
        for (String l : lines) {
            String t = l.strip();
            if (t.startsWith("# expect-path:")) {
                expectedPaths.add(t.substring("# expect-path:".length()).strip());
            } else if (t.startsWith("# profile:")) {
                try {
                    options = options.withProfile(profile(t.substring("# profile:".length()).strip()));
                } catch (IllegalArgumentException e) {
                    return new Outcome(rule, example, false, e.getMessage());
                }
            }
        }
        EvaluationResult result = engine.evaluateSnapshot(read.objects(), options);
        List<Finding> found = result.findings().stream().filter(f -> f.rule().equals(rule)).toList();
        if (allowed) {
            return found.isEmpty()
                    ? new Outcome(rule, example, true, "no finding, as expected")
                    : new Outcome(rule, example, false, "expected no finding of " + rule + " but got " + found.size()
                            + ", first at " + found.get(0).path() + ": " + found.get(0).message());
        }
        if (found.isEmpty()) {
            return new Outcome(rule, example, false, "expected a finding of " + rule + " but got none");
        }
        Set<String> paths = new LinkedHashSet<>();
        found.forEach(f -> paths.add(f.path()));
        List<String> missing = new ArrayList<>();
        for (String p : expectedPaths) {
            if (!paths.contains(p)) {
                missing.add(p);
            }
        }
        return missing.isEmpty()
                ? new Outcome(rule, example, true, found.size() + " finding(s) at " + paths)
                : new Outcome(rule, example, false, "expected findings at " + missing + " but they are at " + paths);
    }

    /** Runs every example of a rule folder against the rule named like the folder. */
    public List<Outcome> checkFolder(Path folder) {
        String rule = folder.getFileName().toString();
        List<Outcome> out = new ArrayList<>();
        for (Path p : examples(folder, true)) {
            out.add(check(rule, p, true));
        }
        for (Path p : examples(folder, false)) {
            out.add(check(rule, p, false));
        }
        return out;
    }
}
