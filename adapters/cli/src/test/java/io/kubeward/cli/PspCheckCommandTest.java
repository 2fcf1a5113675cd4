package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PspCheckCommandTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String EXAMPLES = CliRun.ROOT.resolve("examples/pod-security-policy").toString();
    static final String POLICIES = EXAMPLES + "/policies.yaml";
    static final String PODS = EXAMPLES + "/pods";

    @Test
    void aliceGetsTheDefaultPolicyOnlySoHerPrivilegedPodIsDenied() {
        CliRun run = CliRun.of("psp", "check", "--policies", POLICIES, "--user", "alice", PODS);
        assertEquals(KubewardCommand.FINDINGS, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("DENIED   Pod/pod-privileged"), out);
        assertTrue(out.contains("psp-privileged  spec.containers[0].securityContext.privileged (line 11)"), out);
        assertTrue(out.contains("DENIED   Pod/kubia-hostport "), out);
        assertTrue(out.contains("container kubia binds host port 9000, outside the ranges the policy allows (10000-11000, 13000-14000)"), out);
        assertTrue(out.contains("ALLOWED  Pod/kubia-hostport-10500"), out);
        assertTrue(out.contains("admitted by PodSecurityPolicy default, unchanged"), out);
        assertTrue(out.contains("ALLOWED  Deployment/kubia"), out);
        assertTrue(out.contains("spec.template.spec.containers[0].securityContext.runAsUser = 2 (runAsUser MustRunAs 2, 5-10)"), out);
        assertTrue(out.contains("6 pods: 2 allowed, 4 denied (policies: default, privileged)."), out);
        assertEquals("", run.err());
    }

    @Test
    void bobMayUseThePrivilegedPolicyWhichAdmitsHisPodsUnchanged() {
        CliRun run = CliRun.of("psp", "check", "-p", POLICIES, "-u", "bob", PODS + "/pod-privileged.yaml", PODS + "/pod-with-defaults.yaml");
        assertEquals(KubewardCommand.OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("ALLOWED  Pod/pod-privileged"), run.out());
        assertTrue(run.out().contains("admitted by PodSecurityPolicy privileged, unchanged"), run.out());
        assertTrue(run.out().contains("default admits it too, but only by changing it, and a policy that admits it unchanged goes first"),
                run.out());
    }

    @Test
    void jsonCarriesThePatchAndEveryPolicysVerdict() {
        CliRun run = CliRun.of("psp", "check", "-o", "json", "--policies", POLICIES, "--user", "alice", "--group", "devs",
                PODS + "/pod-with-defaults.yaml", PODS + "/pod-as-user-guest.yaml");
        assertEquals(KubewardCommand.FINDINGS, run.exitCode(), run.err());
        JsonNode root = JSON.readTree(run.out());
        assertEquals(1, root.get("schemaVersion").asInt());
        assertEquals("[\"devs\",\"system:authenticated\"]", root.get("user").get("groups").toString());
        JsonNode deployment = root.get("decisions").get(0);
        assertTrue(deployment.get("allowed").asBoolean());
        assertEquals("default", deployment.get("policy").asString());
        JsonNode patch = deployment.get("patch");
        assertEquals("add", patch.get(0).get("op").asString());
        assertEquals("/spec/template/spec/containers/0/securityContext", patch.get(0).get("path").asString());
        assertEquals(2, patch.get(0).get("value").get("runAsUser").asInt());
        assertEquals("/spec/template/spec/securityContext", patch.get(1).get("path").asString());
        JsonNode guest = root.get("decisions").get(1);
        assertTrue(!guest.get("allowed").asBoolean());
        assertEquals("[]", guest.get("patch").toString());
        JsonNode refusal = guest.get("policies").get(0).get("refusals").get(0);
        assertEquals("psp-run-as-user", refusal.get("rule").asString());
        assertEquals("spec.containers[0].securityContext.runAsUser", refusal.get("path").asString());
        assertEquals(11, refusal.get("source").get("line").asInt());
        assertEquals(1, root.get("summary").get("denied").asInt());
    }

    @Test
    void anInvalidPolicyIsAnInputErrorNamingFileLineAndField(@TempDir Path dir) throws IOException {
        Path policies = dir.resolve("psp.yaml");
        Files.writeString(policies, """
                apiVersion: policy/v1beta1
                kind: PodSecurityPolicy
                metadata:
                  name: broken
                spec:
                  hostPorts:
                  - min: 10000
                    max: 11000
                  - min: 10500
                    max: 12000
                  runAsUser:
                    rule: MustRunAsRoot
                  seLinux: {rule: RunAsAny}
                  supplementalGroups: {rule: RunAsAny}
                  fsGroup: {rule: RunAsAny}
                """);
        CliRun run = CliRun.of("psp", "check", "--policies", policies.toString(), "--user", "alice", PODS + "/pod-privileged.yaml");
        assertEquals(KubewardCommand.INPUT_ERROR, run.exitCode());
        assertTrue(run.err().contains("psp.yaml:9 (document 1): PodSecurityPolicy broken: field spec.hostPorts[1]: "
                + "range 10500-12000 overlaps hostPorts[0] (10000-11000)"), run.err());
        assertTrue(run.err().contains("psp.yaml:12 (document 1): PodSecurityPolicy broken: field spec.runAsUser.rule: unknown rule \"MustRunAsRoot\""),
                run.err());
        assertEquals("", run.out());

        Files.writeString(policies, Files.readString(policies).replace("max: 12000", "max: [12000]"));
        CliRun wrongType = CliRun.of("psp", "check", "--policies", policies.toString(), "--user", "alice", PODS + "/pod-privileged.yaml");
        assertEquals(KubewardCommand.INPUT_ERROR, wrongType.exitCode());
        assertTrue(wrongType.err().contains("psp.yaml:10 (document 1): field spec.hostPorts[1].max: wrong type"), wrongType.err());
    }

    @Test
    void usageErrors() {
        CliRun noUser = CliRun.of("psp", "check", "--policies", POLICIES, PODS);
        assertEquals(KubewardCommand.INPUT_ERROR, noUser.exitCode());
        assertTrue(noUser.err().contains("Missing required option: '--user=USER'"), noUser.err());
        CliRun noPods = CliRun.of("psp", "check", "--policies", POLICIES, "--user", "alice", POLICIES);
        assertEquals(KubewardCommand.INPUT_ERROR, noPods.exitCode());
        assertTrue(noPods.err().contains("no pod, nor any object that runs pods"), noPods.err());
        CliRun noSubcommand = CliRun.of("psp");
        assertEquals(KubewardCommand.INPUT_ERROR, noSubcommand.exitCode());
        assertTrue(noSubcommand.err().contains("Missing required subcommand: check"), noSubcommand.err());
    }
}
