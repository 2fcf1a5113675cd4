package io.kubeward.engine.psp;

import static io.kubeward.engine.psp.Fixtures.object;
import static io.kubeward.engine.psp.Fixtures.policy;
import static io.kubeward.engine.psp.Fixtures.policyYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.engine.InputObject;
import io.kubeward.engine.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodSecurityPolicyViewTest {

    /** The chapter's restrictive default policy, field for field. */
    static final String DEFAULT_POLICY = """
            apiVersion: policy/v1beta1
            kind: PodSecurityPolicy
            metadata:
              name: default
            spec:
              hostIPC: false
              hostPID: false
              hostNetwork: false
              hostPorts:
              - min: 10000
                max: 11000
              - min: 13000
                max: 14000
              privileged: false
              readOnlyRootFilesystem: true
              runAsUser:
                rule: RunAsAny
              fsGroup:
                rule: RunAsAny
              supplementalGroups:
                rule: RunAsAny
              seLinux:
                rule: RunAsAny
              volumes:
              - '*'
            """;

    @Test
    void readsTheChaptersDefaultPolicy() {
        PodSecurityPolicyView p = policy(DEFAULT_POLICY);
        assertEquals("default", p.getName());
        assertFalse(p.isPrivileged());
        assertFalse(p.isHostIPC() || p.isHostPID() || p.isHostNetwork());
        assertEquals(List.of(new PortRange(10000, 11000), new PortRange(13000, 14000)), p.getHostPorts());
        assertTrue(p.allowsHostPort(10500));
        assertTrue(p.allowsHostPort(11000));
        assertFalse(p.allowsHostPort(9000));
        assertFalse(p.allowsHostPort(12000));
        assertEquals("10000-11000, 13000-14000", p.describeHostPorts());
        assertTrue(p.isReadOnlyRootFilesystem());
        assertTrue(p.getRunAsUser().isRunAsAny());
        assertTrue(p.allowsVolumeType("hostPath"));
        assertTrue(p.isAllowPrivilegeEscalation(), "unset allowPrivilegeEscalation means true");
        assertNull(p.getRuntimeClass());
        assertTrue(p.allowsRuntimeClass("gvisor"));
    }

    @Test
    void readsEveryField() {
        PodSecurityPolicyView p = policy("""
                apiVersion: policy/v1beta1
                kind: PodSecurityPolicy
                metadata:
                  name: everything
                spec:
                  privileged: true
                  hostPID: true
                  hostIPC: true
                  hostNetwork: true
                  hostPorts: [{min: 80, max: 80}]
                  volumes: [configMap, secret, hostPath, flexVolume, csi]
                  allowedHostPaths:
                  - {pathPrefix: /var/log, readOnly: true}
                  - {pathPrefix: /data/}
                  allowedFlexVolumes: [{driver: example/lvm}]
                  allowedCSIDrivers: [{name: inline.csi.example.com}]
                  runAsUser: {rule: MustRunAs, ranges: [{min: 2, max: 10}, {min: 20, max: 30}]}
                  runAsGroup: {rule: MayRunAs, ranges: [{min: 100, max: 200}]}
                  supplementalGroups: {rule: MustRunAs, ranges: [{min: 1000, max: 1000}]}
                  fsGroup: {rule: MayRunAs, ranges: [{min: 2000, max: 3000}]}
                  seLinux:
                    rule: MustRunAs
                    seLinuxOptions: {user: system_u, role: system_r, type: container_t, level: "s0:c1,c2"}
                  readOnlyRootFilesystem: true
                  allowPrivilegeEscalation: false
                  defaultAllowPrivilegeEscalation: false
                  allowedCapabilities: [SYS_TIME]
                  defaultAddCapabilities: [CHOWN]
                  requiredDropCapabilities: [SYS_ADMIN, SYS_MODULE]
                  allowedUnsafeSysctls: [net.core.somaxconn, "kernel.msg*"]
                  forbiddenSysctls: [kernel.shm_rmid_forced]
                  allowedProcMountTypes: [Default, Unmasked]
                  runtimeClass:
                    allowedRuntimeClassNames: [gvisor, kata]
                    defaultRuntimeClassName: gvisor
                """);
        assertTrue(p.isPrivileged() && p.isHostPID() && p.isHostIPC() && p.isHostNetwork());
        assertTrue(p.allowsHostPort(80));
        assertFalse(p.allowsVolumeType("emptyDir"));
        assertTrue(p.allowsVolumeType("csi"));
        assertEquals(List.of(new HostPathRule("/var/log", true), new HostPathRule("/data/", false)), p.getAllowedHostPaths());
        assertTrue(p.allowsHostPath("/var/log/pods"));
        assertTrue(p.requiresReadOnlyHostPath("/var/log"));
        assertFalse(p.allowsHostPath("/var/logs"), "prefixes match whole path segments");
        assertTrue(p.allowsHostPath("/data"));
        assertFalse(p.requiresReadOnlyHostPath("/data/x"));
        assertFalse(p.allowsHostPath("/etc"));
        assertTrue(p.allowsFlexDriver("example/lvm"));
        assertFalse(p.allowsFlexDriver("example/nfs"));
        assertTrue(p.allowsCsiDriver("inline.csi.example.com"));
        assertFalse(p.allowsCsiDriver("other.csi.example.com"));
        assertTrue(p.getRunAsUser().isMustRunAs());
        assertEquals(2L, p.getRunAsUser().getDefaultId());
        assertTrue(p.getRunAsUser().allows(25L));
        assertFalse(p.getRunAsUser().allows(405L));
        assertFalse(p.getRunAsUser().allows(null), "MustRunAs needs a value");
        assertTrue(p.getRunAsGroup().isMayRunAs());
        assertNull(p.getRunAsGroup().getDefaultId(), "MayRunAs sets no default");
        assertEquals(1000L, p.getSupplementalGroups().getDefaultId());
        assertTrue(p.getFsGroup().allows(2500L));
        assertTrue(p.getSeLinux().isMustRunAs());
        assertEquals("container_t", p.getSeLinux().getOptions().getType());
        assertFalse(p.isAllowPrivilegeEscalation());
        assertEquals(Boolean.FALSE, p.getDefaultAllowPrivilegeEscalation());
        assertEquals(List.of("SYS_ADMIN", "SYS_MODULE"), p.getRequiredDropCapabilities());
        assertEquals(List.of("SYS_ADMIN"), p.disallowedAdds(List.of("SYS_TIME", "CHOWN", "SYS_ADMIN")));
        assertEquals(List.of(), p.disallowedAdds(List.of("cap_sys_time")), "capability names compare as runtimes read them");
        assertEquals(List.of("SYS_MODULE"), p.missingRequiredDrops(List.of("SYS_ADMIN")));
        assertNull(p.sysctlRefusal("net.core.somaxconn"));
        assertNull(p.sysctlRefusal("kernel.msgmax"));
        assertNull(p.sysctlRefusal("net.ipv4.tcp_syncookies"), "safe sysctls need no allowance");
        assertTrue(p.sysctlRefusal("kernel.shm_rmid_forced").contains("forbidden"), "forbidding wins over safe");
        assertTrue(p.sysctlRefusal("net.ipv4.ip_forward").contains("unsafe sysctl"));
        assertTrue(p.allowsProcMount("Unmasked"));
        assertTrue(p.allowsRuntimeClass("kata"));
        assertFalse(p.allowsRuntimeClass("runc"));
        assertTrue(p.allowsRuntimeClass(null), "a pod that asks for no RuntimeClass is allowed");
        assertEquals("gvisor", p.getRuntimeClass().getDefaultRuntimeClassName());
    }

    @Test
    void emptyListsMeanNothingIsAllowed() {
        PodSecurityPolicyView p = policy(policyYaml("bare", ""));
        assertFalse(p.allowsHostPort(80), "no hostPorts: no host port");
        assertFalse(p.allowsVolumeType("emptyDir"), "no volumes: no volume");
        assertTrue(p.allowsHostPath("/anything"), "no allowedHostPaths: any host path (hostPath volumes are still subject to volumes)");
        assertFalse(p.allowsProcMount("Unmasked"));
        assertTrue(p.allowsProcMount(null));
        assertEquals(List.of("NET_ADMIN"), p.disallowedAdds(List.of("NET_ADMIN")));
        assertTrue(p.getRunAsGroup().isRunAsAny(), "an unset runAsGroup restricts nothing");
        PodSecurityPolicyView all = policy(policyYaml("all", "allowedCapabilities: ['*']\nvolumes: ['*']"));
        assertEquals(List.of(), all.disallowedAdds(List.of("SYS_ADMIN")));
        assertTrue(all.allowsVolumeType("image"));
        assertFalse(policy(policyYaml("none", "volumes: [none]")).allowsVolumeType("emptyDir"));
    }

    @Test
    void readsExtensionsPoliciesAndGenericObjectsToo() {
        PodSecurityPolicyView p = policy(DEFAULT_POLICY.replace("policy/v1beta1", "extensions/v1beta1"));
        assertEquals(List.of(new PortRange(10000, 11000), new PortRange(13000, 14000)), p.getHostPorts());
    }

    @Test
    void rejectsAnUnknownRuleNamingTheField() {
        InvalidPolicyException e = invalid(DEFAULT_POLICY.replace("runAsUser:\n    rule: RunAsAny", "runAsUser:\n    rule: MustRunAsRoot"));
        assertEquals("spec.runAsUser.rule", only(e).field());
        assertTrue(only(e).message().contains("unknown rule \"MustRunAsRoot\"; expected one of MustRunAs, MustRunAsNonRoot, RunAsAny"),
                only(e).message());
        assertEquals("spec.seLinux.rule", only(invalid(policyYaml("x", "").replace("seLinux: {rule: RunAsAny}", "seLinux: {rule: MayRunAs}"))).field());
        assertEquals("spec.fsGroup.rule", only(invalid(policyYaml("x", "").replace("fsGroup: {rule: RunAsAny}", "fsGroup: {rule: MustRunAsNonRoot}"))).field());
        assertEquals("spec.runAsGroup.rule", only(invalid(policyYaml("x", "runAsGroup: {rule: Any}"))).field());
    }

    @Test
    void requiresTheFourRules() {
        InvalidPolicyException e = invalid("""
                apiVersion: policy/v1beta1
                kind: PodSecurityPolicy
                metadata: {name: empty}
                spec:
                  privileged: false
                """);
        assertEquals(List.of("spec.runAsUser.rule", "spec.supplementalGroups.rule", "spec.fsGroup.rule", "spec.seLinux.rule"),
                e.problems().stream().map(PolicyProblem::field).toList());
        assertEquals("spec", only(invalid("apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: nospec}\n")).field());
    }

    @Test
    void rejectsInvertedAndOverlappingRanges() {
        PolicyProblem inverted = only(invalid(policyYaml("x", "hostPorts: [{min: 11000, max: 10000}]")));
        assertEquals("spec.hostPorts[0]", inverted.field());
        assertEquals("inverted range: min 11000 is greater than max 10000", inverted.message());
        PolicyProblem overlap = only(invalid(policyYaml("x", "hostPorts: [{min: 10000, max: 11000}, {min: 10500, max: 12000}]")));
        assertEquals("spec.hostPorts[1]", overlap.field());
        assertEquals("range 10500-12000 overlaps hostPorts[0] (10000-11000)", overlap.message());
        assertEquals("spec.hostPorts[0].max", only(invalid(policyYaml("x", "hostPorts: [{min: 1, max: 70000}]"))).field());
        PolicyProblem ids = only(invalid(policyYaml("x", "").replace("runAsUser: {rule: RunAsAny}",
                "runAsUser: {rule: MustRunAs, ranges: [{min: 2, max: 10}, {min: 5, max: 20}]}")));
        assertEquals("spec.runAsUser.ranges[1]", ids.field());
        assertEquals("range 5-20 overlaps ranges[0] (2-10)", ids.message());
        assertEquals("spec.fsGroup.ranges[0]", only(invalid(policyYaml("x", "").replace("fsGroup: {rule: RunAsAny}",
                "fsGroup: {rule: MayRunAs, ranges: [{min: 10, max: 2}]}"))).field());
        assertEquals("spec.supplementalGroups.ranges[0].min", only(invalid(policyYaml("x", "").replace("supplementalGroups: {rule: RunAsAny}",
                "supplementalGroups: {rule: MustRunAs, ranges: [{min: -1, max: 2}]}"))).field());
        assertEquals("spec.runAsUser.ranges", only(invalid(policyYaml("x", "").replace("runAsUser: {rule: RunAsAny}",
                "runAsUser: {rule: MustRunAs}"))).field());
    }

    @Test
    void rejectsContradictionsAndUnknownValues() {
        assertEquals("spec.requiredDropCapabilities[0]",
                only(invalid(policyYaml("x", "allowedCapabilities: [SYS_ADMIN]\nrequiredDropCapabilities: [SYS_ADMIN]"))).field());
        assertEquals("spec.defaultAllowPrivilegeEscalation",
                only(invalid(policyYaml("x", "allowPrivilegeEscalation: false\ndefaultAllowPrivilegeEscalation: true"))).field());
        assertEquals("spec.volumes[1]", only(invalid(policyYaml("x", "volumes: [secret, hostpath]"))).field());
        assertEquals("spec.allowedHostPaths[0].pathPrefix", only(invalid(policyYaml("x", "allowedHostPaths: [{pathPrefix: var/log}]"))).field());
        assertEquals("spec.allowedHostPaths[0].pathPrefix", only(invalid(policyYaml("x", "allowedHostPaths: [{pathPrefix: /var/../etc}]"))).field());
        assertEquals("spec.allowedFlexVolumes", only(invalid(policyYaml("x", "volumes: [secret]\nallowedFlexVolumes: [{driver: a/b}]"))).field());
        assertEquals("spec.allowedProcMountTypes[0]", only(invalid(policyYaml("x", "allowedProcMountTypes: [Masked]"))).field());
        assertEquals("spec.allowedUnsafeSysctls[0]",
                only(invalid(policyYaml("x", "allowedUnsafeSysctls: [\"net.*\"]\nforbiddenSysctls: [net.ipv4.ip_forward]"))).field());
        assertEquals("spec.forbiddenSysctls[0]", only(invalid(policyYaml("x", "forbiddenSysctls: [\"Net.IPv4\"]"))).field());
        assertEquals("spec.runtimeClass.defaultRuntimeClassName",
                only(invalid(policyYaml("x", "runtimeClass: {allowedRuntimeClassNames: [kata], defaultRuntimeClassName: gvisor}"))).field());
        assertEquals("spec.seLinux.seLinuxOptions",
                only(invalid(policyYaml("x", "").replace("seLinux: {rule: RunAsAny}", "seLinux: {rule: MustRunAs}"))).field());
        assertEquals("spec.defaultAddCapabilities[0]", only(invalid(policyYaml("x", "defaultAddCapabilities: ['*']"))).field());
    }

    @Test
    void rejectsMisspelledFields() {
        PolicyProblem p = only(invalid(policyYaml("x", "hostPort: [{min: 1, max: 2}]")));
        assertEquals("spec.hostPort", p.field());
        assertTrue(p.message().startsWith("unknown field"), p.message());
        assertEquals("spec.hostPorts[0].maximum", only(invalid(policyYaml("x", "hostPorts: [{min: 1, max: 2, maximum: 3}]"))).field());
    }

    @Test
    void problemsCarryTheLineOfTheirField() {
        InputObject read = object(policyYaml("x", "hostPorts: [{min: 11000, max: 10000}]"));
        InputObject located = new InputObject(read.object(), new Source("policies.yaml", 2, 30,
                Map.of("spec.hostPorts", 40, "spec.hostPorts[0]", 41)));
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PodSecurityPolicyView.of(located));
        PolicyProblem p = only(e);
        assertEquals(41, p.location().line());
        assertEquals("policies.yaml:41 (document 2): spec.hostPorts[0]: inverted range: min 11000 is greater than max 10000", p.display());
        assertTrue(e.getMessage().contains("PodSecurityPolicy x is invalid"), e.getMessage());
    }

    @Test
    void refusesWhatIsNotAPolicy() {
        assertThrows(IllegalArgumentException.class,
                () -> PodSecurityPolicyView.of(object("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n")));
    }

    static InvalidPolicyException invalid(String yaml) {
        return assertThrows(InvalidPolicyException.class, () -> policy(yaml));
    }

    static PolicyProblem only(InvalidPolicyException e) {
        assertEquals(1, e.problems().size(), e.problems().toString());
        return e.problems().get(0);
    }
}
