package io.kubeward.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.Finding;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleDescriptor;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Pod Security Standards rules against the upstream pod-security-admission fixtures in
 * {@code <shared>/conformance/pod-security-admission}: every fixture pod, evaluated at its level
 * and policy version, must get the upstream verdict (a finding of any rule with a
 * {@code @control} denies it). A denied fixture must also be denied by the check it is named after
 * (or the restricted check that replaces it), with the wording upstream uses in its message.
 * Prints the agreement per level.
 */
class PodSecurityConformanceTest {

    /** The check that replaces a baseline check at restricted level (README, fact 4). */
    static final Map<String, String> RESTRICTED_REPLACEMENT = Map.of(
            "capabilities_baseline", "capabilities_restricted",
            "seccompProfile_baseline", "seccompProfile_restricted",
            "hostPathVolumes", "restrictedVolumes",
            "procMount", "procMount_restricted");

    /** What upstream looks for in its denial message, per check (README, file name table). */
    static final Map<String, String> UPSTREAM_WORDING = Map.ofEntries(
            Map.entry("appArmorProfile", "forbidden AppArmor profile"),
            Map.entry("capabilities_baseline", "capabilities"),
            Map.entry("hostNamespaces", "host namespaces"),
            Map.entry("hostPathVolumes", "hostPath"),
            Map.entry("hostPorts", "hostPort"),
            Map.entry("hostProbesAndHostLifecycle", "probe or lifecycle host"),
            Map.entry("privileged", "privileged"),
            Map.entry("procMount", "procMount"),
            Map.entry("seccompProfile_baseline", "seccompProfile"),
            Map.entry("seLinuxOptions", "seLinuxOptions"),
            Map.entry("sysctls", "forbidden sysctl"),
            Map.entry("windowsHostProcess", "hostProcess"),
            Map.entry("allowPrivilegeEscalation", "allowPrivilegeEscalation"),
            Map.entry("capabilities_restricted", "unrestricted capabilities"),
            Map.entry("procMount_restricted", "procMount"),
            Map.entry("restrictedVolumes", "restricted volume types"),
            Map.entry("runAsNonRoot", "runAsNonRoot"),
            Map.entry("runAsUser", "runAsUser"),
            Map.entry("seccompProfile_restricted", "seccompProfile"));

    record Fixture(String level, String version, boolean deny, String check, Path file) {
        /** The fixture's pod: metadata.name is the file name without .yaml (README). */
        String podName() {
            String n = file.getFileName().toString();
            return n.substring(0, n.length() - ".yaml".length());
        }
    }

    static Path root;
    static List<Fixture> fixtures;
    static PolicyEngine engine;
    static final ManifestReader reader = new ManifestReader();

    @BeforeAll
    static void load() throws IOException {
        String shared = System.getProperty("kubeward.shared", "../../shared");
        root = Path.of(shared, "conformance", "pod-security-admission");
        Path index = root.resolve("index.tsv");
        Assumptions.assumeTrue(Files.isRegularFile(index),
                "skipped: no Pod Security Admission fixtures at " + index.toAbsolutePath() + " (set -Dkubeward.shared)");
        fixtures = new ArrayList<>();
        List<String> lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] col = line.split("\t", -1);
            assertEquals(7, col.length, "index.tsv row must have 7 columns: " + line);
            fixtures.add(new Fixture(col[0], col[1], col[3].equals("deny"), col[4], root.resolve(col[6])));
        }
        engine = PolicyEngine.builder().build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"baseline", "restricted"})
    void everyFixtureGetsTheUpstreamVerdict(String level) throws IOException {
        List<Fixture> ofLevel = fixtures.stream().filter(f -> f.level().equals(level)).toList();
        assertTrue(ofLevel.size() > 1000, "expected the " + level + " fixtures in index.tsv, found " + ofLevel.size());
        // one evaluation per folder (the pods of a folder have distinct names, and the Pod Security
        // rules look at one pod at a time); versions repeat unchanged files: parse each text once
        Map<Path, List<Fixture>> byFolder = ofLevel.stream()
                .collect(Collectors.groupingBy(f -> f.file().getParent(), java.util.LinkedHashMap::new, Collectors.toList()));
        Map<String, InputObject> parsed = new HashMap<>();
        int agree = 0;
        List<String> problems = new ArrayList<>();
        for (List<Fixture> folder : byFolder.values()) {
            PodSecurityProfile profile = PodSecurityProfile.of(level, folder.get(0).version());
            Map<String, InputObject> pods = new java.util.LinkedHashMap<>();
            for (Fixture f : folder) {
                String text = Files.readString(f.file(), StandardCharsets.UTF_8);
                InputObject pod = parsed.computeIfAbsent(text, t -> parse(f.file(), t));
                assertTrue(pods.put(f.podName(), pod) == null, f.file() + ": two fixtures of one folder name the same pod");
                assertEquals(f.podName(), pod.ref().name(), f.file() + ": metadata.name must be the file name");
            }
            Map<String, List<Finding>> byPod = engine.evaluateSnapshot(pods.values(), new EvaluationOptions(profile)).findings().stream()
                    .filter(x -> control(x) != null)
                    .collect(Collectors.groupingBy(x -> x.resource().name()));
            for (Fixture f : folder) {
                List<Finding> found = byPod.getOrDefault(f.podName(), List.of());
                boolean denied = !found.isEmpty();
                String where = root.relativize(f.file()) + " (" + profile.display() + ")";
                if (denied != f.deny()) {
                    problems.add(where + ": expected " + (f.deny() ? "deny" : "allow") + ", got "
                            + (denied ? "deny by " + describe(found) : "allow"));
                    continue;
                }
                agree++;
                if (f.deny()) {
                    String problem = checkNamed(f, found);
                    if (problem != null) {
                        problems.add(where + ": " + problem);
                    }
                }
            }
        }
        System.out.printf("%s: %d/%d%n", level, agree, ofLevel.size());
        if (!problems.isEmpty()) {
            fail(problems.size() + " " + level + " fixture(s) disagree with upstream:\n  "
                    + problems.stream().limit(40).collect(Collectors.joining("\n  ")));
        }
    }

    /** Null when the fixture's own check (or its restricted replacement) denied it in upstream words. */
    static String checkNamed(Fixture f, List<Finding> found) {
        Set<String> accepted = new TreeSet<>(Set.of(f.check()));
        if (f.level().equals("restricted") && RESTRICTED_REPLACEMENT.containsKey(f.check())) {
            accepted.add(RESTRICTED_REPLACEMENT.get(f.check()));
        }
        List<Finding> ofCheck = found.stream().filter(x -> accepted.contains(control(x))).toList();
        if (ofCheck.isEmpty()) {
            return "denied, but not by " + String.join(" or ", accepted) + ": " + describe(found);
        }
        String wording = UPSTREAM_WORDING.get(f.check());
        if (wording == null) {
            return "no upstream wording known for check " + f.check();
        }
        boolean worded = ofCheck.stream().anyMatch(x -> x.message().contains(wording)
                || !control(x).equals(f.check()) && x.message().contains(UPSTREAM_WORDING.get(control(x))));
        return worded ? null : "the finding of " + f.check() + " does not say \"" + wording + "\": " + describe(ofCheck);
    }

    static InputObject parse(Path file, String text) {
        ReadResult read = reader.readString(file.toString(), text);
        if (read.hasErrors() || read.objects().size() != 1) {
            fail(file + ": expected one readable Pod, got " + read.objects().size() + " object(s) and errors " + read.errors());
        }
        return read.objects().get(0);
    }

    /** The upstream check a finding's rule implements, or null for a rule of no standard. */
    static String control(Finding f) {
        RuleDescriptor d = engine.catalog().find(f.rule()).orElse(null);
        return d == null || !d.hasControl() ? null : d.control();
    }

    static String describe(List<Finding> found) {
        return found.stream().map(x -> x.rule() + " at " + x.path() + " (" + x.message() + ")")
                .collect(Collectors.joining("; "));
    }
}
