package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

class OutputFormatsTest {

    static final String POD = CliRun.ROOT.resolve("examples/chapter/kubia-hostport.yaml").toString();

    @Test
    void sarifLocatesEachFindingAtItsFileAndLine() {
        CliRun run = CliRun.of("scan", "-o", "sarif", POD);
        assertEquals(KubewardCommand.FINDINGS, run.exitCode());
        JsonNode root = JsonMapper.builder().build().readTree(run.out());
        assertEquals("2.1.0", root.get("version").asString());
        JsonNode runNode = root.get("runs").get(0);
        JsonNode rules = runNode.get("tool").get("driver").get("rules");
        JsonNode results = runNode.get("results");
        assertTrue(results.size() >= 2);
        JsonNode hostPort = null;
        for (JsonNode r : results) {
            if (r.get("ruleId").asString().equals("host-port")) {
                hostPort = r;
            }
        }
        assertEquals("warning", hostPort.get("level").asString());
        assertEquals("host-port", rules.get(hostPort.get("ruleIndex").asInt()).get("id").asString());
        JsonNode physical = hostPort.get("locations").get(0).get("physicalLocation");
        assertTrue(physical.get("artifactLocation").get("uri").asString().endsWith("examples/chapter/kubia-hostport.yaml"));
        assertEquals(12, physical.get("region").get("startLine").asInt());
        assertTrue(hostPort.get("partialFingerprints").get("kubeward/v1").asString().length() == 32);
        JsonNode rule = rules.get(hostPort.get("ruleIndex").asInt());
        assertTrue(rule.get("help").get("text").asString().startsWith("Remove hostPort"));
        assertEquals("5.5", rule.get("properties").get("security-severity").asString());
        // keys in a fixed order, the same from run to run (a diff of two reports shows only what changed)
        assertEquals(List.of("text", "markdown"), List.copyOf(rule.get("help").propertyNames()));
        assertEquals(List.of("severity", "path"), List.copyOf(hostPort.get("properties").propertyNames()));
        assertEquals(List.of("fullyQualifiedName", "kind"),
                List.copyOf(hostPort.get("locations").get(0).get("logicalLocations").get(0).propertyNames()));
    }

    @Test
    void sarifMarksExemptionsAsSuppressions() {
        CliRun run = CliRun.of("scan", "-o", "sarif", "--config", CliRun.ROOT.resolve("docs/kubeward-config.example.yaml").toString(),
                CliRun.ROOT.resolve("examples/workloads/node-exporter-daemonset.yaml").toString());
        JsonNode result = JsonMapper.builder().build().readTree(run.out()).get("runs").get(0).get("results").get(0);
        assertEquals("external", result.get("suppressions").get(0).get("kind").asString());
    }

    @Test
    void junitHasACasePerResourceAndRule() throws Exception {
        CliRun run = CliRun.of("scan", "-o", "junit", CliRun.ROOT.resolve("examples/chapter").toString());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(run.out())));
        Element suites = doc.getDocumentElement();
        assertEquals("testsuites", suites.getTagName());
        NodeList cases = doc.getElementsByTagName("testcase");
        boolean hostNetwork = false;
        boolean passing = false;
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            if (c.getAttribute("classname").equals("Pod/pod-with-host-network") && c.getAttribute("name").equals("host-network")) {
                hostNetwork = c.getElementsByTagName("failure").getLength() == 1;
            }
            if (c.getAttribute("classname").equals("Service/kubia-nodeport") && c.getAttribute("name").equals("all rules")) {
                passing = c.getChildNodes().getLength() == 0;
            }
        }
        assertTrue(hostNetwork, run.out());
        assertTrue(passing, run.out());
        assertEquals(Integer.parseInt(suites.getAttribute("tests")), cases.getLength());
    }

    @Test
    void yamlCarriesTheSameReportAsJson() {
        JsonNode yaml = YAMLMapper.builder().build().readTree(CliRun.of("scan", "-o", "yaml", POD).out());
        JsonNode json = JsonMapper.builder().build().readTree(CliRun.of("scan", "-o", "json", POD).out());
        assertEquals(json, yaml);
    }

    @Test
    void severalOutputsAtOnce(@TempDir Path dir) throws IOException {
        Path sarif = dir.resolve("out.sarif");
        Path junit = dir.resolve("out.xml");
        CliRun run = CliRun.of("scan", "--output", "sarif=" + sarif, "--output", "junit=" + junit, "--output", "text", POD);
        assertEquals(KubewardCommand.FINDINGS, run.exitCode());
        assertTrue(run.out().contains("Pod/kubia-hostport"), run.out());
        assertTrue(Files.readString(sarif).contains("\"version\" : \"2.1.0\""));
        assertTrue(Files.readString(junit).startsWith("<?xml"));
        CliRun twoOnStdout = CliRun.of("scan", "-o", "json", "-o", "text", POD);
        assertEquals(KubewardCommand.INPUT_ERROR, twoOnStdout.exitCode());
        assertTrue(twoOnStdout.err().contains("only one --output may go to standard output"), twoOnStdout.err());
        CliRun unwritable = CliRun.of("scan", "-o", "json=" + dir.resolve("no/such/dir/out.json"), POD);
        assertEquals(KubewardCommand.INPUT_ERROR, unwritable.exitCode());
        assertTrue(unwritable.err().contains("cannot write"), unwritable.err());
    }

    @Test
    void policyReportsForAScanOfManifests() {
        CliRun run = CliRun.of("scan", "-o", "policyreport", CliRun.ROOT.resolve("examples/chapter/kubia-hostport-replicas.yaml").toString());
        assertEquals(KubewardCommand.FINDINGS, run.exitCode(), run.err());
        JsonNode report = YAMLMapper.builder().build().readTree(run.out().substring(run.out().indexOf("apiVersion")));
        assertEquals("wgpolicyk8s.io/v1alpha2", report.get("apiVersion").asString());
        assertEquals("PolicyReport", report.get("kind").asString());
        assertEquals("shop", report.get("metadata").get("namespace").asString());
        assertTrue(report.get("results").size() >= 3, run.out());
    }
}
