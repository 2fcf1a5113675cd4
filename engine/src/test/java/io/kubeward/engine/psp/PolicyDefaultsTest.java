package io.kubeward.engine.psp;

import static io.kubeward.engine.psp.Fixtures.object;
import static io.kubeward.engine.psp.Fixtures.policy;
import static io.kubeward.engine.psp.Fixtures.policyYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeward.engine.model.ContainerView;
import io.kubeward.engine.model.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyDefaultsTest {

    static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: main
                image: alpine
            """;

    static Workload workload(String yaml) {
        return Workload.of(object(yaml).object(), null).orElseThrow();
    }

    static PolicyDefaults.Defaulted apply(String policySpec, String podYaml) {
        return PolicyDefaults.apply(policy(policyYaml("p", policySpec)), workload(podYaml));
    }

    static List<String> displays(PolicyDefaults.Defaulted d) {
        return d.defaults().stream().map(AppliedDefault::display).toList();
    }

    @Test
    void aPermissivePolicySetsNothingAndKeepsTheOriginal() {
        Workload w = workload(POD);
        PolicyDefaults.Defaulted d = PolicyDefaults.apply(policy(policyYaml("p", "volumes: ['*']")), w);
        assertFalse(d.changed());
        assertSame(w, d.pod());
        assertSame(w.getObject(), d.object());
    }

    @Test
    void mustRunAsSetsTheFirstRangesMinimumOnEachContainer() {
        PolicyDefaults.Defaulted d = apply("", POD.replace("runAsUser: {rule: RunAsAny}", "") + """
                  initContainers:
                  - name: init
                    image: alpine
                """);
        d = PolicyDefaults.apply(policy(policyYaml("p", "").replace("runAsUser: {rule: RunAsAny}",
                "runAsUser: {rule: MustRunAs, ranges: [{min: 2, max: 10}, {min: 20, max: 30}]}")), d.pod());
        assertEquals(List.of(
                "spec.initContainers[0].securityContext.runAsUser = 2 (runAsUser MustRunAs 2-10, 20-30)",
                "spec.containers[0].securityContext.runAsUser = 2 (runAsUser MustRunAs 2-10, 20-30)"), displays(d));
        for (ContainerView c : d.pod().getContainers()) {
            assertEquals(2L, c.getRunAsUser());
        }
    }

    @Test
    void aUserSetOnThePodIsKept() {
        PolicyDefaults.Defaulted d = PolicyDefaults.apply(policy(policyYaml("p", "").replace("runAsUser: {rule: RunAsAny}",
                "runAsUser: {rule: MustRunAs, ranges: [{min: 2, max: 10}]}")), workload(POD.replace("spec:\n", "spec:\n  securityContext: {runAsUser: 405}\n")));
        assertFalse(d.changed(), "the container runs as the pod's user; nothing is unset");
    }

    @Test
    void groupsAndFsGroupAndRuntimeClassAtPodLevel() {
        String spec = policyYaml("p", """
                runAsGroup: {rule: MustRunAs, ranges: [{min: 100, max: 200}]}
                runtimeClass: {allowedRuntimeClassNames: [gvisor], defaultRuntimeClassName: gvisor}
                """).replace("supplementalGroups: {rule: RunAsAny}", "supplementalGroups: {rule: MustRunAs, ranges: [{min: 1000, max: 2000}]}")
                .replace("fsGroup: {rule: RunAsAny}", "fsGroup: {rule: MustRunAs, ranges: [{min: 3000, max: 4000}]}");
        PolicyDefaults.Defaulted d = PolicyDefaults.apply(policy(spec), workload(POD));
        assertEquals(List.of(
                "spec.securityContext.supplementalGroups = [1000] (supplementalGroups MustRunAs 1000-2000)",
                "spec.securityContext.fsGroup = 3000 (fsGroup MustRunAs 3000-4000)",
                "spec.runtimeClassName = gvisor (runtimeClass.defaultRuntimeClassName)",
                "spec.containers[0].securityContext.runAsGroup = 100 (runAsGroup MustRunAs 100-200)"), displays(d));
        Pod p = (Pod) d.object();
        assertEquals(List.of(1000L), p.getSpec().getSecurityContext().getSupplementalGroups());
        assertEquals("gvisor", p.getSpec().getRuntimeClassName());
        Pod original = (Pod) workload(POD).getObject();
        assertNull(original.getSpec().getSecurityContext(), "the original is untouched");
    }

    @Test
    void mayRunAsSetsNothing() {
        PolicyDefaults.Defaulted d = apply("runAsGroup: {rule: MayRunAs, ranges: [{min: 100, max: 200}]}", POD);
        assertFalse(d.changed());
    }

    @Test
    void capabilitiesAreAddedAndDroppedSorted() {
        PolicyDefaults.Defaulted d = apply("""
                allowedCapabilities: [SYS_TIME]
                defaultAddCapabilities: [CHOWN]
                requiredDropCapabilities: [SYS_MODULE, SYS_ADMIN]
                """, POD.replace("image: alpine", "image: alpine\n    securityContext: {capabilities: {add: [SYS_TIME], drop: [NET_RAW]}}"));
        assertEquals(List.of(
                "spec.containers[0].securityContext.capabilities.add = [CHOWN, SYS_TIME] (defaultAddCapabilities)",
                "spec.containers[0].securityContext.capabilities.drop = [NET_RAW, SYS_ADMIN, SYS_MODULE] (requiredDropCapabilities)"),
                displays(d));
        ContainerView c = d.pod().getContainers().get(0);
        assertEquals(List.of("CHOWN", "SYS_TIME"), c.getCapabilitiesAdd());
        assertEquals(List.of("NET_RAW", "SYS_ADMIN", "SYS_MODULE"), c.getCapabilitiesDrop());
    }

    @Test
    void aDefaultCapabilityTheContainerDropsIsNotAdded() {
        PolicyDefaults.Defaulted d = apply("defaultAddCapabilities: [CHOWN]",
                POD.replace("image: alpine", "image: alpine\n    securityContext: {capabilities: {drop: [chown]}}"));
        assertFalse(d.changed(), displays(d).toString());
        PolicyDefaults.Defaulted already = apply("requiredDropCapabilities: [SYS_ADMIN]",
                POD.replace("image: alpine", "image: alpine\n    securityContext: {capabilities: {drop: [CAP_SYS_ADMIN]}}"));
        assertFalse(already.changed(), "CAP_SYS_ADMIN is SYS_ADMIN");
    }

    @Test
    void readOnlyRootAndPrivilegeEscalation() {
        PolicyDefaults.Defaulted d = apply("readOnlyRootFilesystem: true\nallowPrivilegeEscalation: false", POD);
        assertEquals(List.of(
                "spec.containers[0].securityContext.readOnlyRootFilesystem = true (readOnlyRootFilesystem)",
                "spec.containers[0].securityContext.allowPrivilegeEscalation = false (allowPrivilegeEscalation: false)"), displays(d));
        PolicyDefaults.Defaulted byDefault = apply("defaultAllowPrivilegeEscalation: false", POD);
        assertEquals(List.of("spec.containers[0].securityContext.allowPrivilegeEscalation = false (defaultAllowPrivilegeEscalation)"),
                displays(byDefault));
        PolicyDefaults.Defaulted explicit = apply("readOnlyRootFilesystem: true",
                POD.replace("image: alpine", "image: alpine\n    securityContext: {readOnlyRootFilesystem: false}"));
        assertFalse(explicit.changed(), "a value the container sets is never overwritten; validation refuses it instead");
    }

    @Test
    void seLinuxAndNonRoot() {
        PolicyDefaults.Defaulted d = PolicyDefaults.apply(policy(policyYaml("p", "")
                .replace("seLinux: {rule: RunAsAny}", "seLinux: {rule: MustRunAs, seLinuxOptions: {type: container_t, level: \"s0:c1\"}}")
                .replace("runAsUser: {rule: RunAsAny}", "runAsUser: {rule: MustRunAsNonRoot}")), workload(POD));
        assertEquals(List.of(
                "spec.containers[0].securityContext.seLinuxOptions = {type=container_t, level=s0:c1} (seLinux MustRunAs)",
                "spec.containers[0].securityContext.runAsNonRoot = true (runAsUser MustRunAsNonRoot)"), displays(d));
        ContainerView c = d.pod().getContainers().get(0);
        assertEquals("container_t", c.getSeLinuxOptions().getType());
        assertTrue(c.getRunAsNonRoot());
    }

    @Test
    void templatesAreDefaultedAtTheirPodSpecPath() {
        PolicyDefaults.Defaulted d = apply("readOnlyRootFilesystem: true", """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly}
                spec:
                  schedule: "0 3 * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: Never
                          containers: [{name: job, image: alpine}]
                """);
        assertEquals(List.of("spec.jobTemplate.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = true (readOnlyRootFilesystem)"),
                displays(d));
        assertTrue(d.pod().getContainers().get(0).isReadOnlyRootFilesystem());
        assertEquals("CronJob", d.object().getKind());
    }
}
