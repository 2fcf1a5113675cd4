package io.kubeward.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.Severity;
import io.kubeward.engine.config.Configuration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationReaderTest {

    @Test
    void readsEverySection() {
        ConfigurationReader.Result r = ConfigurationReader.read("kubeward.yaml", """
                apiVersion: kubeward.io/v1
                kind: Configuration
                profile:
                  level: restricted
                  version: v1.29
                rules:
                  host-port-outside-daemonset: {enabled: false}
                  host-port: {severity: high}
                categories:
                  host-namespaces: {enabled: true}
                exceptions:
                  - name: node-exporter
                    rules: [host-network, host-pid]
                    namespaces: [monitoring]
                    kinds: [DaemonSet]
                    names: ["node-exporter*"]
                    labels: {app: node-exporter}
                    containers: [node-exporter]
                    images: ["quay.io/prometheus/*"]
                    reason: a node agent needs the node's view
                    expires: 2027-01-31
                """);
        assertEquals(List.of(), r.errors());
        Configuration c = r.configuration();
        assertEquals(PodSecurityProfile.of("restricted", "v1.29"), c.profile());
        assertEquals(Map.of("host-port-outside-daemonset", false), c.rules());
        assertEquals(Map.of("host-port", Severity.HIGH), c.severities());
        assertEquals(LocalDate.of(2027, 1, 31), c.exceptions().get(0).expires());
        assertEquals(List.of("quay.io/prometheus/*"), c.exceptions().get(0).images());
    }

    @Test
    void everyProblemNamesFieldAndLineAndNothingIsApplied() {
        ConfigurationReader.Result r = ConfigurationReader.read("bad.yaml", """
                kind: Configuration
                rules:
                  host-port: {severity: urgent}
                  host-pid: {enabld: false}
                exceptions:
                  - name: no-reason
                    rules: [host-network]
                  - name: bad-date
                    rules: ["*"]
                    reason: r
                    expires: next tuesday
                """);
        assertNull(r.configuration());
        List<String> fields = r.errors().stream().map(InputError::field).toList();
        assertTrue(fields.contains("rules.host-port.severity"), fields.toString());
        assertTrue(fields.contains("rules.host-pid.enabld"), fields.toString());
        assertTrue(fields.contains("exceptions[0].reason"), fields.toString());
        assertTrue(fields.contains("exceptions[1].expires"), fields.toString());
        InputError severity = r.errors().stream().filter(e -> e.field().equals("rules.host-port.severity")).findFirst().orElseThrow();
        assertEquals(3, severity.line());
        assertTrue(severity.display().startsWith("bad.yaml:3: field rules.host-port.severity: unknown severity 'urgent'"), severity.display());
    }

    @Test
    void malformedYamlIsAnError() {
        ConfigurationReader.Result r = ConfigurationReader.read("x.yaml", "rules: [\n");
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().startsWith("malformed YAML"));
    }
}
