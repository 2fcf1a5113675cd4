package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConfigurationOptionTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theExampleConfigurationExemptsTheNodeExporterAndKeepsItVisible() {
        CliRun run = CliRun.of("scan", "-o", "json", "--config", CliRun.ROOT.resolve("docs/kubeward-config.example.yaml").toString(),
                CliRun.ROOT.resolve("examples/workloads/node-exporter-daemonset.yaml").toString());
        assertEquals(KubewardCommand.OK, run.exitCode(), run.out() + run.err());
        JsonNode root = JSON.readTree(run.out());
        assertEquals(0, root.get("summary").get("findings").asInt());
        assertEquals(root.get("findings").size(), root.get("summary").get("exempted").asInt());
        for (JsonNode f : root.get("findings")) {
            assertEquals("config:node-exporter", f.get("exemption").get("source").asString());
        }
        CliRun text = CliRun.of("scan", "--config", CliRun.ROOT.resolve("docs/kubeward-config.example.yaml").toString(),
                CliRun.ROOT.resolve("examples/workloads/node-exporter-daemonset.yaml").toString());
        assertTrue(text.out().contains("EXEMPT   host-network"), text.out());
        assertTrue(text.out().contains("exempted by config:node-exporter"), text.out());
    }

    @Test
    void anInvalidConfigurationStopsTheScan(@TempDir Path dir) throws IOException {
        Path c = dir.resolve("c.yaml");
        Files.writeString(c, "rules:\n  host-port: {severity: loud}\n");
        CliRun run = CliRun.of("scan", "--config", c.toString(), CliRun.ROOT.resolve("examples").toString());
        assertEquals(KubewardCommand.INPUT_ERROR, run.exitCode());
        assertTrue(run.err().contains("c.yaml:2: field rules.host-port.severity"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void theSchemaDescribesTheFieldsTheReaderAccepts() throws IOException {
        JsonNode schema = JSON.readTree(Files.readString(CliRun.ROOT.resolve("docs/config.schema.json")));
        Set<String> top = new TreeSet<>(schema.get("properties").propertyNames());
        assertEquals(new TreeSet<>(Set.of("apiVersion", "kind", "profile", "rules", "categories", "exceptions")), top);
        Set<String> exception = new TreeSet<>(schema.get("properties").get("exceptions").get("items").get("properties").propertyNames());
        assertEquals(new TreeSet<>(Set.of("name", "rules", "namespaces", "kinds", "names", "labels", "containers", "images",
                "reason", "expires")), exception);
    }
}
