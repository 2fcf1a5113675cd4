package io.kubeward.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.Finding;
import io.kubeward.engine.InputObject;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Install manifests of real projects (flannel, calico, kube-prometheus, ingress-nginx, …) applied
 * to the mock cluster and audited there: the audit finds what evaluating the same objects from
 * the files finds, and the known host-namespace users are reported.
 */
@EnableKubernetesMockClient(crud = true)
class RealWorldClusterTest {

    KubernetesClient client;

    @Test
    void auditOfAppliedInstallManifestsMatchesTheirManifestFindings() {
        String shared = System.getProperty("kubeward.shared");
        Path corpus = shared == null ? null : Path.of(shared, "corpus", "real-world");
        assumeTrue(corpus != null && Files.isDirectory(corpus),
                "skipped: the shared real-world corpus is not at " + corpus + " (set -Dkubeward.shared)");

        ReadResult read = new ManifestReader().read(corpus);
        List<HasMetadata> applied = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (InputObject in : read.objects()) {
            HasMetadata o = in.object();
            ResourceKind kind = ResourceKind.ofKind(o.getKind());
            if (kind == null || !kind.type().isInstance(o)) {
                continue; // CRDs, ConfigMaps, webhooks, retired API versions: an audit does not read them
            }
            if (kind.namespaced() && o.getMetadata().getNamespace() == null) {
                o.getMetadata().setNamespace("default");
            } else if (!kind.namespaced()) {
                o.getMetadata().setNamespace(null); // the API server drops it (kube-router's ClusterRole names one)
            }
            String key = o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
            if (seen.add(key)) { // both ingress-nginx variants name their objects alike
                applied.add(o);
            }
        }
        for (String ns : applied.stream().map(o -> o.getMetadata().getNamespace()).filter(n -> n != null).collect(Collectors.toSet())) {
            if (applied.stream().noneMatch(o -> o.getKind().equals("Namespace") && o.getMetadata().getName().equals(ns))) {
                applied.add(ClusterFixtures.namespace(ns));
            }
        }
        for (HasMetadata o : applied) {
            client.resource(o).create();
        }

        AuditResult audit = new ClusterAuditor(TestEngine.get()).audit(ClusterConnection.of(client, "corpus"), AuditScope.allNamespaces());

        assertFalse(audit.partial(), () -> "faults: " + audit.faults());
        assertEquals(applied.size(), audit.objectCount());
        EvaluationResult fromFiles = TestEngine.get().evaluateSnapshot(applied.stream().map(InputObject::of).toList());
        assertEquals(keys(fromFiles.findings()), keys(audit.findings()));

        Set<String> keys = keys(audit.findings());
        assertTrue(keys.contains("host-network DaemonSet monitoring/node-exporter spec.template.spec.hostNetwork"), () -> "got " + keys);
        assertTrue(keys.contains("host-pid DaemonSet monitoring/node-exporter spec.template.spec.hostPID"), () -> "got " + keys);
        assertTrue(keys.contains("host-network DaemonSet kube-flannel/kube-flannel-ds spec.template.spec.hostNetwork"), () -> "got " + keys);
        assertTrue(keys.contains("host-port DaemonSet monitoring/node-exporter spec.template.spec.containers[1].ports[0].hostPort"), () -> "got " + keys);
        assertTrue(keys.contains("host-network DaemonSet kube-system/calico-node spec.template.spec.hostNetwork"), () -> "got " + keys);
        assertTrue(keys.contains("host-pid DaemonSet kube-system/kube-router spec.template.spec.hostPID"), () -> "got " + keys);
        assertTrue(audit.findings().stream().allMatch(f -> "cluster:corpus".equals(f.source().file())));
    }

    private static Set<String> keys(List<Finding> findings) {
        return findings.stream()
                .map(f -> f.rule() + " " + f.resource().kind() + " " + f.resource().namespace() + "/" + f.resource().name() + " " + f.path())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
