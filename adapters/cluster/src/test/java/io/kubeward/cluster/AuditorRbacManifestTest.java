package io.kubeward.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The ClusterRoles shipped in deploy/auditor grant exactly what the code uses: list and watch on
 * every kind an audit reads, and the report verbs applying needs. A kind added to
 * {@link ResourceKind} without its RBAC rule fails here.
 */
class AuditorRbacManifestTest {

    static Path deploy() {
        Path root = Path.of(System.getProperty("kubeward.root", "../.."));
        return root.resolve("deploy/auditor");
    }

    private static ClusterRole role(ReadResult read, String name) {
        return read.objects().stream().map(o -> o.object()).filter(o -> o instanceof ClusterRole && o.getMetadata().getName().equals(name))
                .map(ClusterRole.class::cast).findFirst().orElseThrow(() -> new AssertionError("no ClusterRole " + name + " in " + deploy()));
    }

    /** "verb group/resource" for every grant of a role. */
    private static Set<String> grants(ClusterRole role) {
        Set<String> out = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        out.add(verb + " " + group + "/" + resource);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theAuditorRoleGrantsListAndWatchOnEveryKindReadAndNothingElse() {
        ReadResult read = new ManifestReader().read(deploy().resolve("clusterrole.yaml"));
        assertTrue(read.errors().isEmpty(), () -> "errors: " + read.errors());

        Set<String> expected = new TreeSet<>();
        for (ResourceKind kind : ResourceKind.values()) {
            expected.add("list " + kind.group() + "/" + kind.plural());
            expected.add("watch " + kind.group() + "/" + kind.plural());
        }
        assertEquals(expected, grants(role(read, "kubeward-auditor")));
    }

    @Test
    void theReportWriterRoleGrantsWhatApplyingUses() {
        ReadResult read = new ManifestReader().read(deploy().resolve("clusterrole.yaml"));

        Set<String> expected = new TreeSet<>();
        for (String resource : new String[] {PolicyReportWriter.POLICY_REPORTS.getPlural(), PolicyReportWriter.CLUSTER_POLICY_REPORTS.getPlural()}) {
            for (String verb : new String[] {"get", "list", "create", "update", "delete"}) {
                expected.add(verb + " " + PolicyReportWriter.POLICY_REPORTS.getGroup() + "/" + resource);
            }
        }
        assertEquals(expected, grants(role(read, "kubeward-report-writer")));
    }

    @Test
    void theServiceAccountIsBoundToBothRoles() {
        ReadResult read = new ManifestReader().read(deploy().resolve("serviceaccount.yaml"));
        assertTrue(read.errors().isEmpty(), () -> "errors: " + read.errors());

        Set<String> bound = new TreeSet<>();
        for (HasMetadata o : read.objects().stream().map(i -> i.object()).toList()) {
            if (o instanceof ClusterRoleBinding b) {
                assertEquals("kubeward-auditor", b.getSubjects().get(0).getName());
                bound.add(b.getRoleRef().getName());
            }
        }
        assertEquals(Set.of("kubeward-auditor", "kubeward-report-writer"), bound);
    }
}
