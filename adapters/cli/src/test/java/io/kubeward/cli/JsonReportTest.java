package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.cluster.AuditFault;
import io.kubeward.cluster.AuditResult;
import io.kubeward.cluster.AuditScope;
import io.kubeward.cluster.ResourceKind;
import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.Exemption;
import io.kubeward.engine.Finding;
import io.kubeward.engine.NodeExposure;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Severity;
import io.kubeward.engine.SkippedObject;
import io.kubeward.engine.SourceLocation;
import io.kubeward.manifest.ConfigurationReader;
import io.kubeward.manifest.InputError;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The streamed JSON report is the document the map-based one was, byte for byte. */
class JsonReportTest {

    /** What the JSON format wrote before it streamed: the whole report as maps, then pretty-printed. */
    private static String asMaps(ScanReport r) {
        StringWriter buf = new StringWriter();
        PrintWriter out = new PrintWriter(buf);
        out.println(Json.write(JsonReport.toMap(r)));
        out.flush();
        return buf.toString();
    }

    /** The report streamed to a writer (standard output), checked equal to the bytes streamed to a file. */
    private static String streamed(ScanReport r) {
        StringWriter buf = new StringWriter();
        PrintWriter out = new PrintWriter(buf);
        ReportFormat.JSON.write(r, out);
        out.flush();
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        try {
            ReportFormat.JSON.write(r, file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(buf.toString(), file.toString(java.nio.charset.StandardCharsets.UTF_8), "the file's bytes");
        org.junit.jupiter.api.Assertions.assertArrayEquals(buf.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                file.toByteArray(), "UTF-8 in the file");
        return buf.toString();
    }

    @Test
    void scanOfTheExamplesStreamsTheSameBytes() {
        ReadResult read = new ManifestReader().read(CliRun.ROOT.resolve("examples"));
        ConfigurationReader.Result config = ConfigurationReader.read(CliRun.ROOT.resolve("docs/kubeward-config.example.yaml"));
        assertTrue(config.ok(), config.errors().toString());
        EvaluationOptions options = EvaluationOptions.DEFAULT.withProfile(PodSecurityProfile.of("restricted", "latest"))
                .withConfiguration(config.configuration());
        PolicyEngine engine = PolicyEngine.builder().build();
        EvaluationResult result = engine.evaluateSnapshot(read.objects(), options);
        ScanReport report = new ScanReport(read, result, Severity.INFO, options, engine.catalog());
        assertTrue(report.findings().size() > 50, "a realistic report has many findings");
        assertTrue(report.exempted() > 0, "the example configuration exempts some");
        assertFalse(result.nodeExposure().isEmpty());
        assertEquals(asMaps(report), streamed(report));

        ScanReport high = new ScanReport(read, result, Severity.HIGH, EvaluationOptions.DEFAULT, engine.catalog());
        assertTrue(high.findings().size() < report.findings().size());
        assertEquals(asMaps(high), streamed(high));
    }

    @Test
    void everyOptionalFieldStreamsTheSameBytes() {
        ResourceRef deployment = new ResourceRef("apps/v1", "Deployment", "shop", "web");
        ResourceRef pod = new ResourceRef("v1", "Pod", null, "débogage-\"quoted\"");
        SourceLocation at = new SourceLocation("deploy/web.yaml", 2, 17);
        List<Finding> findings = List.of(
                new Finding("host-port", Severity.MEDIUM, "Container opens a host port", "hostPort 8080 is open\non every node",
                        deployment, "web", "spec.template.spec.containers[0].ports[0].hostPort", at),
                new Finding("privileged", Severity.CRITICAL, "Privileged", "runs privileged \u2013 tab\there", deployment, "sidecar",
                        "spec.template.spec.containers[1].securityContext.privileged", at)
                        .withExemption(new Exemption("kubeward.io/exempt annotation", "vendor \"agent\"")),
                new Finding("cluster-rule", Severity.LOW, "No source", "from nowhere", pod, null, null, null),
                new Finding("info-rule", Severity.INFO, "Info", "just so you know", pod, null, "spec", null)
                        .withExemption(new Exemption("config", null)));
        List<NodeExposure> exposure = List.of(
                new NodeExposure(deployment, "web", 8080, "TCP", "10.0.0.1", NodeExposure.Via.HOST_PORT,
                        NodeExposure.Scope.EVERY_SELECTED_NODE, List.of("node-a", "node-b"), "spec.template.spec.containers[0].ports[0].hostPort"),
                new NodeExposure(pod, null, 30080, "UDP", null, NodeExposure.Via.NODE_PORT, NodeExposure.Scope.ALL_NODES, List.of(), null));
        List<SkippedObject> skipped = List.of(
                new SkippedObject(new ResourceRef("example.com/v1", "Widget", "shop", "w"), at, "custom resource"),
                new SkippedObject(new ResourceRef(null, null, null, null), null, "no kind"));
        EvaluationResult result = new EvaluationResult(findings, exposure, 7, skipped);
        ReadResult read = new ReadResult(List.of(), List.of(
                new InputError("broken.yaml", 3, 12, "spec.containers", "expected a list"),
                new InputError(null, 0, 0, null, "standard input is empty")), 4);
        AuditResult audit = new AuditResult("prod", AuditScope.namespace("shop"), Instant.parse("2024-05-01T10:15:30Z"), result,
                List.of(new AuditFault(AuditFault.Reason.FORBIDDEN, ResourceKind.NODES, 403, "cannot list nodes"),
                        new AuditFault(AuditFault.Reason.NOT_READ, null, 0, null)),
                Map.of(ResourceKind.PODS, 3), Map.of(deployment, 5), 4, Set.of("shop"), Map.of());
        EvaluationOptions options = EvaluationOptions.DEFAULT.withProfile(PodSecurityProfile.of("baseline", "v1.30"));

        for (Severity threshold : Severity.values()) {
            ScanReport withAudit = new ScanReport(read, result, threshold, options, null, audit);
            assertEquals(asMaps(withAudit), streamed(withAudit), "audit report at " + threshold);
            ScanReport scan = new ScanReport(read, result, threshold, EvaluationOptions.DEFAULT, null);
            assertEquals(asMaps(scan), streamed(scan), "scan report at " + threshold);
        }
        ScanReport all = new ScanReport(read, result, Severity.INFO, options, null, audit);
        assertEquals(Map.of(Severity.MEDIUM, 1, Severity.LOW, 1), all.countBySeverity());
        assertEquals(2, all.exempted());
        assertEquals(2, all.failing().size());
        assertEquals(4, all.findings().size());
        assertTrue(streamed(all).contains("\"podsAffected\" : 5"), streamed(all));
    }

    @Test
    void anEmptyReportStreamsTheSameBytes() {
        ScanReport empty = new ScanReport(new ReadResult(List.of(), List.of(), 0), EvaluationResult.empty(), Severity.INFO,
                EvaluationOptions.DEFAULT, null);
        assertEquals(asMaps(empty), streamed(empty));
    }
}
