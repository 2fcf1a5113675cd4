package io.kubeward.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubeward.cluster.AuditFault.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class PolicyReportWriterTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private ClusterAuditor auditor;
    private ClusterConnection cluster;
    private PolicyReportWriter writer;

    @BeforeEach
    void setUp() {
        // as if the PolicyReport CRDs were installed
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("wgpolicyk8s.io").withVersion("v1alpha2")
                .withKind("PolicyReport").withPlural("policyreports").withScope("Namespaced").build());
        server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("wgpolicyk8s.io").withVersion("v1alpha2")
                .withKind("ClusterPolicyReport").withPlural("clusterpolicyreports").withScope("Cluster").build());
        auditor = TestEngine.hostNamespaceAuditor();
        cluster = ClusterConnection.of(client, "mock");
        writer = new PolicyReportWriter(TestEngine.get().catalog());
    }

    @AfterEach
    void emptyTheServer() {
        server.reset();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> results(GenericKubernetesResource report) {
        return (List<Map<String, Object>>) report.getAdditionalProperties().get("results");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> summary(GenericKubernetesResource report) {
        return (Map<String, Object>) report.getAdditionalProperties().get("summary");
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> properties(Map<String, Object> result) {
        return (Map<String, String>) result.get("properties");
    }

    static Map<String, Object> result(GenericKubernetesResource report, String rule, String name) {
        return results(report).stream().filter(r -> r.get("rule").equals(rule)
                && ((List<Map<String, Object>>) r.get("resources")).get(0).get("name").equals(name)).findFirst().orElseThrow(
                () -> new AssertionError("no " + rule + " result for " + name + " in " + results(report)));
    }

    private List<GenericKubernetesResource> stored() {
        List<GenericKubernetesResource> out = new java.util.ArrayList<>(client.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS)
                .inAnyNamespace().list().getItems());
        out.addAll(client.genericKubernetesResources(PolicyReportWriter.CLUSTER_POLICY_REPORTS).list().getItems());
        return out;
    }

    @Test
    void oneReportPerNamespaceWithAResultPerFinding() {
        ClusterFixtures.seedChapter(client, "default");
        AuditResult audit = auditor.audit(cluster, AuditScope.allNamespaces());

        List<GenericKubernetesResource> reports = writer.reports(audit);

        assertEquals(1, reports.size(), "no cluster-scoped findings, no faults: no ClusterPolicyReport");
        GenericKubernetesResource report = reports.get(0);
        assertEquals("wgpolicyk8s.io/v1alpha2", report.getApiVersion());
        assertEquals("PolicyReport", report.getKind());
        assertEquals("kubeward-default-0", report.getMetadata().getName());
        assertEquals("default", report.getMetadata().getNamespace());
        assertEquals("kubeward", report.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        assertEquals("false", report.getMetadata().getAnnotations().get(PolicyReportWriter.PARTIAL_ANNOTATION));
        assertEquals(audit.findings().size(), results(report).size());

        Map<String, Object> hostNetwork = result(report, "host-network", "pod-with-host-network");
        assertEquals("host-network", hostNetwork.get("policy"));
        assertEquals("fail", hostNetwork.get("result"));
        assertEquals("high", hostNetwork.get("severity"));
        assertEquals("host-namespaces", hostNetwork.get("category"));
        assertEquals("spec.hostNetwork", properties(hostNetwork).get("path"));
        Map<String, Object> resource = ((List<Map<String, Object>>) hostNetwork.get("resources")).get(0);
        assertEquals("Pod", resource.get("kind"));
        assertEquals("default", resource.get("namespace"));
        assertEquals(client.pods().inNamespace("default").withName("pod-with-host-network").get().getMetadata().getUid(), resource.get("uid"));

        Map<String, Object> replicas = result(report, "host-port-conflict", "kubia");
        assertEquals("2", properties(replicas).get("pods"), "the Deployment's finding stands for its two pods");
        assertEquals("kubia", properties(replicas).get("container"));
        Map<String, Object> low = result(report, "host-port-outside-daemonset", "kubia-hostport");
        assertEquals("warn", low.get("result"), "low findings are warnings");

        Map<String, Object> summary = summary(report);
        long fails = results(report).stream().filter(r -> r.get("result").equals("fail")).count();
        assertEquals((int) fails, summary.get("fail"));
        assertEquals(results(report).size() - (int) fails, summary.get("warn"));
        assertEquals(0, summary.get("error"));
    }

    @Test
    void largeReportsAreSplitIntoNumberedParts() {
        ClusterFixtures.create(client, ClusterFixtures.namespace("busy"));
        for (int i = 0; i < 7; i++) {
            Pod p = ClusterFixtures.hostNetworkPod("busy");
            p.getMetadata().setName("agent-" + i);
            ClusterFixtures.create(client, p);
        }
        AuditResult audit = auditor.audit(cluster, AuditScope.allNamespaces());

        List<GenericKubernetesResource> reports = new PolicyReportWriter(TestEngine.get().catalog(), 3).reports(audit);

        assertEquals(List.of("kubeward-busy-0", "kubeward-busy-1", "kubeward-busy-2"),
                reports.stream().map(r -> r.getMetadata().getName()).toList());
        assertEquals(List.of(3, 3, 1), reports.stream().map(r -> results(r).size()).toList());
        assertEquals(audit.findings().size(), reports.stream().mapToInt(r -> results(r).size()).sum());
        assertEquals("3", reports.get(2).getMetadata().getAnnotations().get("kubeward.io/report-parts"));
    }

    @Test
    void aPartialAuditShowsItsFaultsAsErrorResultsOfTheClusterReport() {
        ClusterFixtures.seedChapter(client, "default");
        AuditResult full = auditor.audit(cluster, AuditScope.allNamespaces());
        AuditFault forbidden = new AuditFault(Reason.FORBIDDEN, ResourceKind.NODES, 403, "not allowed to list nodes (403 Forbidden)");
        AuditResult partial = new AuditResult(full.cluster(), full.scope(), full.time(), full.evaluation(), List.of(forbidden),
                full.objectsRead(), full.podsPerOwner(), full.podsFolded(), full.namespaces(), full.uids());

        List<GenericKubernetesResource> reports = writer.reports(partial);

        GenericKubernetesResource clusterReport = reports.get(reports.size() - 1);
        assertEquals("ClusterPolicyReport", clusterReport.getKind());
        assertEquals("kubeward-cluster-0", clusterReport.getMetadata().getName());
        Map<String, Object> error = results(clusterReport).get(0);
        assertEquals("error", error.get("result"));
        assertEquals(PolicyReportWriter.AUDIT_POLICY, error.get("policy"));
        assertEquals("not allowed to list nodes (403 Forbidden)", error.get("message"));
        assertEquals("FORBIDDEN", properties(error).get("reason"));
        assertEquals(1, summary(clusterReport).get("error"));
        assertTrue(reports.stream().allMatch(r -> "true".equals(r.getMetadata().getAnnotations().get(PolicyReportWriter.PARTIAL_ANNOTATION))));
    }

    @Test
    void writesYamlDocumentsThatReadBackAsTheReports() throws IOException {
        ClusterFixtures.seedChapter(client, "default");
        ClusterFixtures.create(client, ClusterFixtures.namespace("other"));
        ClusterFixtures.create(client, ClusterFixtures.hostNetworkPod("other"));
        AuditResult audit = auditor.audit(cluster, AuditScope.allNamespaces());
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        writer.write(audit, out);

        String yaml = out.toString(StandardCharsets.UTF_8);
        List<String> docs = Arrays.stream(yaml.split("(?m)^---\\s*$")).filter(d -> !d.isBlank()).toList();
        assertEquals(2, docs.size(), yaml);
        KubernetesSerialization serialization = new KubernetesSerialization();
        GenericKubernetesResource first = serialization.unmarshal(docs.get(0), GenericKubernetesResource.class);
        assertEquals("PolicyReport", first.getKind());
        assertEquals("kubeward-default-0", first.getMetadata().getName());
        assertEquals(writer.reports(audit).get(0).getAdditionalProperties().get("summary"), first.getAdditionalProperties().get("summary"));
        assertTrue(yaml.contains("apiVersion: \"wgpolicyk8s.io/v1alpha2\"") || yaml.contains("apiVersion: wgpolicyk8s.io/v1alpha2"), yaml);
    }

    @Test
    void applyCreatesThenUpdatesInPlaceAndNeverDuplicates() {
        ClusterFixtures.seedChapter(client, "default");
        ClusterFixtures.create(client, ClusterFixtures.namespace("other"));
        ClusterFixtures.create(client, ClusterFixtures.hostNetworkPod("other"));

        ApplyResult first = writer.apply(auditor.audit(cluster, AuditScope.allNamespaces()), client);
        assertTrue(first.ok(), () -> "errors: " + first.errors());
        assertEquals(2, first.created());
        assertEquals(2, stored().size());

        ApplyResult again = writer.apply(auditor.audit(cluster, AuditScope.allNamespaces()), client);
        assertEquals(new ApplyResult(0, 0, 2, 0, List.of()), again, "same findings: nothing rewritten");

        client.pods().inNamespace("default").withName("pod-with-host-network").delete();
        ApplyResult changed = writer.apply(auditor.audit(cluster, AuditScope.allNamespaces()), client);
        assertEquals(new ApplyResult(0, 1, 1, 0, List.of()), changed);
        GenericKubernetesResource defaultReport = client.genericKubernetesResources(PolicyReportWriter.POLICY_REPORTS)
                .inNamespace("default").withName("kubeward-default-0").get();
        assertTrue(results(defaultReport).stream().noneMatch(r -> r.get("rule").equals("host-network")), "the finding cleared");
        assertEquals(2, stored().size());

        client.pods().inNamespace("other").withName("pod-with-host-network").delete();
        ApplyResult clean = writer.apply(auditor.audit(cluster, AuditScope.allNamespaces()), client);
        assertEquals(1, clean.deleted(), "a namespace without findings keeps no report");
        assertEquals(List.of("kubeward-default-0"), stored().stream().map(r -> r.getMetadata().getName()).toList());
    }

    @Test
    void applyDeletesPartsNoLongerNeededAndLeavesOtherNamespacesAloneInANamespaceAudit() {
        ClusterFixtures.create(client, ClusterFixtures.namespace("busy"));
        ClusterFixtures.create(client, ClusterFixtures.namespace("other"));
        ClusterFixtures.create(client, ClusterFixtures.hostNetworkPod("other"));
        for (int i = 0; i < 5; i++) {
            Pod p = ClusterFixtures.hostNetworkPod("busy");
            p.getMetadata().setName("agent-" + i);
            ClusterFixtures.create(client, p);
        }
        PolicyReportWriter small = new PolicyReportWriter(TestEngine.get().catalog(), 2);
        assertEquals(4, small.apply(auditor.audit(cluster, AuditScope.allNamespaces()), client).created()); // busy-0..2, other-0

        for (int i = 0; i < 4; i++) {
            client.pods().inNamespace("busy").withName("agent-" + i).delete();
        }
        ApplyResult r = small.apply(auditor.audit(cluster, AuditScope.namespace("busy")), client);

        assertEquals(2, r.deleted(), "busy-1 and busy-2 are gone");
        assertEquals(List.of("kubeward-busy-0", "kubeward-other-0"),
                stored().stream().map(x -> x.getMetadata().getName()).sorted().toList(), "namespace other was not audited: its report stays");
    }

    @Test
    void applyWithoutThePolicyReportCrdSaysSo() {
        try (ScriptedApiServer api = new ScriptedApiServer(); KubernetesClient c = api.newClient()) {
            api.hook(req -> req.getPath().contains("wgpolicyk8s.io") ? ScriptedApiServer.status(404, "NotFound", "the server could not find the requested resource") : null);
            ClusterFixtures.create(c, ClusterFixtures.namespace("default"));
            ClusterFixtures.create(c, ClusterFixtures.hostNetworkPod("default"));

            ApplyResult r = writer.apply(auditor.audit(ClusterConnection.of(c, "no-crd"), AuditScope.allNamespaces()), c);

            assertFalse(r.ok());
            assertEquals(1, r.errors().size(), () -> "errors: " + r.errors());
            assertTrue(r.errors().get(0).contains("does not serve wgpolicyk8s.io/v1alpha2 PolicyReports"), r.errors().get(0));
        }
    }
}
