package io.kubeward.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.Finding;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An engine holding some of the packs skips the facts only other packs read (NetworkPolicy views,
 * PodSecurityPolicy reviews); what its own rules report must not change.
 */
class PackSubsetTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("kubeward.root", "..")).resolve("examples");

    @Test
    void anEngineWithSomePacksReportsWhatTheFullEngineReportsForThem() {
        ReadResult read = new ManifestReader().read(List.of(EXAMPLES.resolve("network"),
                EXAMPLES.resolve("workloads"), EXAMPLES.resolve("chapter"),
                Path.of("src/main/resources/kubeward/rules/pod-security-policy/psp-privileged/disallowed-privileged.yaml")), null);
        assertEquals(List.of(), read.errors());
        List<InputObject> objects = read.objects();
        EvaluationOptions restricted = EvaluationOptions.DEFAULT.withProfile(PodSecurityProfile.of("restricted", "latest"));
        List<Finding> all = PolicyEngine.builder().build().evaluateSnapshot(objects, restricted).findings();

        for (Set<String> packs : List.of(Set.of("kubeward.hostnamespaces"), Set.of("kubeward.podsecurity"), Set.of("kubeward.network"),
                Set.of("kubeward.podsecuritypolicy"), Set.of("kubeward.hostnamespaces", "kubeward.podsecurity"))) {
            PolicyEngine some = PolicyEngine.builder().onlyBuiltinPacks(packs.toArray(String[]::new)).build();
            Set<String> ids = some.catalog().all().stream().map(d -> d.id()).collect(java.util.stream.Collectors.toSet());
            List<String> expected = all.stream().filter(f -> ids.contains(f.rule())).map(PackSubsetTest::key).toList();
            List<String> actual = some.evaluateSnapshot(objects, restricted).findings().stream().map(PackSubsetTest::key).toList();
            assertFalse(expected.isEmpty(), "the examples exercise " + packs);
            assertEquals(expected, actual, "packs " + packs);
        }
    }

    private static String key(Finding f) {
        return f.rule() + " " + f.resource().display() + " " + f.container() + " " + f.path() + " " + f.message();
    }
}
