package io.kubeward.rules.psp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.Finding;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.psp.AdmissionDecision;
import io.kubeward.engine.psp.AdmissionPolicies;
import io.kubeward.engine.psp.InvalidPolicyException;
import io.kubeward.engine.psp.JsonPatch;
import io.kubeward.engine.psp.PodSecurityPolicyAdmission;
import io.kubeward.engine.psp.PolicyRefusal;
import io.kubeward.engine.psp.RequestUser;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admission through its API: which policies a request may use, the order they are tried in,
 * the defaults and patch of the winner, and the reasons of every refusal.
 */
class PodSecurityPolicyAdmissionTest {

    static PodSecurityPolicyAdmission admission;
    static final ManifestReader READER = new ManifestReader();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void build() {
        admission = PodSecurityPolicyAdmission.withBuiltinRules();
    }

    static List<InputObject> read(String yaml) {
        ReadResult r = READER.readString("test.yaml", yaml);
        assertEquals(List.of(), r.errors());
        return r.objects();
    }

    static InputObject pod(String yaml) {
        List<InputObject> objects = read(yaml);
        assertEquals(1, objects.size());
        return objects.get(0);
    }

    static String policy(String name, String spec) {
        return """
                apiVersion: policy/v1beta1
                kind: PodSecurityPolicy
                metadata: {name: %s}
                spec:
                  runAsUser: {rule: RunAsAny}
                  seLinux: {rule: RunAsAny}
                  supplementalGroups: {rule: RunAsAny}
                  fsGroup: {rule: RunAsAny}
                %s
                ---
                """.formatted(name, spec.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n"));
    }

    /** Every authenticated user may use every policy. */
    static final String EVERYONE_USES_ALL = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: use-all-psp}
            rules: [{apiGroups: [policy], resources: [podsecuritypolicies], verbs: [use]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: everyone}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: use-all-psp}
            subjects: [{kind: Group, name: "system:authenticated"}]
            """;

    static final String CHAPTER = policy("default", """
            privileged: false
            hostPorts: [{min: 10000, max: 11000}, {min: 13000, max: 14000}]
            volumes: ['*']
            """) + policy("privileged", """
            privileged: true
            volumes: ['*']
            """) + """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: psp-default}
            rules: [{apiGroups: [policy], resources: [podsecuritypolicies], resourceNames: [default], verbs: [use]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: psp-privileged}
            rules: [{apiGroups: [policy], resources: [podsecuritypolicies], resourceNames: [privileged], verbs: [use]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: psp-all-users}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: psp-default}
            subjects: [{kind: Group, name: "system:authenticated"}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: psp-bob}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: psp-privileged}
            subjects: [{kind: User, name: bob}]
            """;

    static final String PRIVILEGED_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: pod-privileged}
            spec:
              containers:
              - name: main
                image: alpine
                securityContext: {privileged: true}
            """;

    @Test
    void bobsPrivilegedPodIsAdmittedAndAlicesIsNot() {
        AdmissionPolicies policies = AdmissionPolicies.of(read(CHAPTER));
        AdmissionDecision alice = admission.admit(pod(PRIVILEGED_POD), RequestUser.of("alice"), policies);
        assertFalse(alice.allowed());
        assertNull(alice.policy());
        assertEquals(List.of("default"), alice.outcomes().stream().map(AdmissionDecision.PolicyOutcome::policy).toList(),
                "alice may use only the default policy");
        PolicyRefusal why = alice.reasons().get("default").get(0);
        assertEquals("psp-privileged", why.rule());
        assertEquals("spec.containers[0].securityContext.privileged", why.path());
        assertEquals(8, why.location().line(), "the refusal points at the line of the field");
        assertTrue(alice.message().contains("default: container main is privileged"), alice.message());

        AdmissionDecision bob = admission.admit(pod(PRIVILEGED_POD), RequestUser.of("bob"), policies);
        assertTrue(bob.allowed());
        assertEquals("privileged", bob.policy());
        assertEquals("[]", bob.patch());
        assertEquals(List.of("default", "privileged"), bob.outcomes().stream().map(AdmissionDecision.PolicyOutcome::policy).toList());
        assertEquals("the user via ClusterRoleBinding/psp-bob -> ClusterRole/psp-privileged for User bob",
                bob.outcomes().get(1).grantedBy());
    }

    @Test
    void aPolicyThatLeavesThePodUnchangedWinsOverOneThatDefaultsItEvenIfNamedEarlier() {
        String policies = policy("a-defaults-user", """
                volumes: ['*']
                """).replace("runAsUser: {rule: RunAsAny}", "runAsUser: {rule: MustRunAs, ranges: [{min: 1000, max: 2000}]}")
                + policy("b-permissive", "volumes: ['*']") + EVERYONE_USES_ALL;
        AdmissionDecision d = admission.admit(pod(PLAIN_POD), RequestUser.of("alice"), read(policies));
        assertTrue(d.allowed());
        assertEquals("b-permissive", d.policy());
        assertEquals(List.of(), d.defaults());
        assertEquals("[]", d.patch());
        AdmissionDecision.PolicyOutcome first = d.outcomes().get(0);
        assertTrue(first.admits() && first.changesPod(), "a-defaults-user admits the pod too, but only after defaulting it");
    }

    @Test
    void otherwiseTheFirstPolicyByNameThatAdmitsAfterDefaultingWins() {
        String policies = policy("z-user-3000", "volumes: ['*']")
                .replace("runAsUser: {rule: RunAsAny}", "runAsUser: {rule: MustRunAs, ranges: [{min: 3000, max: 3000}]}")
                + policy("m-user-2000", "volumes: ['*']")
                .replace("runAsUser: {rule: RunAsAny}", "runAsUser: {rule: MustRunAs, ranges: [{min: 2000, max: 2000}]}")
                + policy("a-refuses", "volumes: [secret]")
                + EVERYONE_USES_ALL;
        AdmissionDecision d = admission.admit(pod(PLAIN_POD), RequestUser.of("alice"), read(policies));
        assertTrue(d.allowed());
        assertEquals("m-user-2000", d.policy(), "tried in name order: a-refuses refuses, m-user-2000 admits after defaulting");
        assertEquals(List.of("a-refuses", "m-user-2000", "z-user-3000"),
                d.outcomes().stream().map(AdmissionDecision.PolicyOutcome::policy).toList());
        assertEquals("[{\"op\":\"add\",\"path\":\"/spec/containers/0/securityContext\",\"value\":{\"runAsUser\":2000}}]", d.patch());
        assertEquals(2000L, ((Pod) d.admitted()).getSpec().getContainers().get(0).getSecurityContext().getRunAsUser());
        assertEquals(List.of("a-refuses"), List.copyOf(d.reasons().keySet()), "reasons are kept for the policies that refused");
        assertEquals("psp-volumes", d.reasons().get("a-refuses").get(0).rule());
    }

    static final String PLAIN_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: plain, namespace: web}
            spec:
              containers:
              - {name: app, image: nginx}
              volumes:
              - {name: cache, emptyDir: {}}
            """;

    @Test
    void aDeniedPodCarriesEveryPolicysReasons() {
        String policies = policy("host-ports", "hostPorts: [{min: 10000, max: 11000}]\nvolumes: ['*']")
                + policy("no-host-ports", "volumes: ['*']\nprivileged: true") + EVERYONE_USES_ALL;
        AdmissionDecision d = admission.admit(pod("""
                apiVersion: v1
                kind: Pod
                metadata: {name: kubia-hostport}
                spec:
                  containers:
                  - name: kubia
                    image: luksa/kubia
                    ports: [{containerPort: 8080, hostPort: 9000}]
                    securityContext: {capabilities: {add: [NET_ADMIN]}}
                """), RequestUser.of("alice"), read(policies));
        assertFalse(d.allowed());
        Map<String, List<PolicyRefusal>> reasons = d.reasons();
        assertEquals(List.of("host-ports", "no-host-ports"), List.copyOf(reasons.keySet()));
        assertEquals(List.of("psp-host-ports spec.containers[0].ports[0].hostPort", "psp-capabilities spec.containers[0].securityContext.capabilities.add"),
                reasons.get("host-ports").stream().map(r -> r.rule() + " " + r.path()).toList(), "refusals come in field order");
        assertTrue(reasons.get("host-ports").stream().anyMatch(r -> r.message()
                .equals("container kubia binds host port 9000, outside the ranges the policy allows (10000-11000)")), reasons.toString());
        assertTrue(reasons.get("no-host-ports").stream().anyMatch(r -> r.message().contains("outside the ranges the policy allows (none)")));
    }

    @Test
    void thePodsServiceAccountMayMakeAPolicyAvailable() {
        String policies = policy("team", "volumes: ['*']") + """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: use-team-psp, namespace: web}
                rules: [{apiGroups: [policy], resources: [podsecuritypolicies], resourceNames: [team], verbs: [use]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: builder-psp, namespace: web}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: use-team-psp}
                subjects: [{kind: ServiceAccount, name: builder}]
                """;
        InputObject deployment = pod("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: build, namespace: web}
                spec:
                  selector: {matchLabels: {app: build}}
                  template:
                    metadata: {labels: {app: build}}
                    spec:
                      serviceAccountName: builder
                      containers: [{name: build, image: golang}]
                """);
        // the ReplicaSet controller creates the pods; it may use no policy itself
        RequestUser controller = RequestUser.serviceAccount("kube-system", "replicaset-controller");
        AdmissionDecision d = admission.admit(deployment, controller, read(policies));
        assertTrue(d.allowed(), d.message());
        assertEquals("web/builder", d.serviceAccount());
        assertTrue(d.outcomes().get(0).grantedBy().startsWith("the pod's service account via RoleBinding/web/builder-psp"));
        AdmissionDecision otherNamespace = admission.admit(deployment, "prod", controller, AdmissionPolicies.of(read(policies)));
        assertFalse(otherNamespace.allowed(), "the Role grants only in namespace web");
        assertTrue(otherNamespace.notes().get(0).contains("none of the 1 PodSecurityPolicies is available"), otherNamespace.notes().toString());
        assertTrue(otherNamespace.message().contains("no PodSecurityPolicy is available to system:serviceaccount:kube-system:replicaset-controller"),
                otherNamespace.message());
    }

    @Test
    void thePatchTurnsTheObjectAsGivenIntoTheObjectAsAdmitted() {
        String policies = policy("restricted", """
                readOnlyRootFilesystem: true
                allowPrivilegeEscalation: false
                defaultAddCapabilities: [CHOWN]
                requiredDropCapabilities: [NET_RAW]
                volumes: [emptyDir, configMap]
                runtimeClass: {allowedRuntimeClassNames: [gvisor], defaultRuntimeClassName: gvisor}
                """).replace("runAsUser: {rule: RunAsAny}", "runAsUser: {rule: MustRunAs, ranges: [{min: 2, max: 10}]}")
                .replace("fsGroup: {rule: RunAsAny}", "fsGroup: {rule: MustRunAs, ranges: [{min: 5, max: 5}]}")
                + EVERYONE_USES_ALL;
        InputObject deployment = pod("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      securityContext: {runAsNonRoot: true}
                      containers:
                      - name: web
                        image: nginx
                        resources: {requests: {cpu: 100m, memory: 64Mi}}
                      - name: sidecar
                        image: envoy
                        securityContext: {runAsUser: 7, capabilities: {drop: [NET_RAW]}}
                """);
        AdmissionDecision d = admission.admit(deployment, RequestUser.of("alice"), read(policies));
        assertTrue(d.allowed(), d.message());
        assertEquals("restricted", d.policy());
        assertTrue(d.isMutated());
        assertTrue(d.defaults().stream().anyMatch(x -> x.path().equals("spec.template.spec.containers[0].securityContext.runAsUser")
                && x.value().equals("2")), d.defaults().toString());
        assertFalse(d.defaults().stream().anyMatch(x -> x.path().equals("spec.template.spec.containers[1].securityContext.runAsUser")),
                "the sidecar's own user is kept");
        var patch = JSON.readTree(d.patch());
        assertTrue(patch.isArray() && !patch.isEmpty());
        for (var op : patch) {
            assertTrue(op.get("path").asString().startsWith("/spec/template/spec/"), op.toString());
        }
        var original = JsonPatch.tree(deployment.object());
        var applied = JsonPatch.diff(original, JsonPatch.tree(d.admitted())).applyTo(original);
        assertEquals(JsonPatch.tree(d.admitted()), applied);
        assertEquals(d.patch(), JsonPatch.diff(deployment.object(), d.admitted()).toJson());
        var sidecar = JSON.readTree(d.patch());
        assertTrue(d.patch().contains("\"path\":\"/spec/template/spec/runtimeClassName\",\"value\":\"gvisor\""), d.patch());
        assertTrue(d.patch().contains("\"path\":\"/spec/template/spec/securityContext/fsGroup\",\"value\":5"), d.patch());
        assertTrue(sidecar.size() >= 4);
    }

    @Test
    void anAdmissionBuiltFromAnEngineRunsTheUsersOwnRulesOverPolicyReviews() {
        String drl = """
                package custom.psp

                import io.kubeward.engine.model.*;
                import io.kubeward.engine.psp.*;

                rule "psp-pinned-images"
                    @severity("medium")
                    @title("Image not pinned under the default policy")
                when
                    $r : PolicyReview( policy.name == "default" )
                    $c : ContainerView( image == null || image.endsWith(":latest") || !image.contains(":") ) from $r.pod.containers
                then
                    $r.refuse(drools.getRule(), $c, $c.path("image"), "container " + $c.getName() + " runs an unpinned image");
                end
                """;
        PolicyEngine engine = PolicyEngine.builder().addRules(new io.kubeward.engine.RuleSource("pinned.drl", drl)).build();
        PodSecurityPolicyAdmission custom = new PodSecurityPolicyAdmission(engine);
        AdmissionDecision d = custom.admit(pod(PLAIN_POD), RequestUser.of("alice"), read(policy("default", "volumes: ['*']") + EVERYONE_USES_ALL));
        assertFalse(d.allowed());
        assertEquals("psp-pinned-images spec.containers[0].image: container app runs an unpinned image",
                d.reasons().get("default").get(0).display());
        assertTrue(admission.admit(pod(PLAIN_POD), RequestUser.of("alice"), read(policy("default", "volumes: ['*']") + EVERYONE_USES_ALL))
                .allowed(), "the built-in rules alone admit it");
    }

    @Test
    void anInvalidPolicyIsRefusedWithItsField() {
        String policies = policy("broken", "hostPorts: [{min: 2000, max: 1000}]\nvolumes: ['*']") + EVERYONE_USES_ALL;
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> admission.admit(pod(PLAIN_POD), RequestUser.of("alice"), read(policies)));
        assertEquals("spec.hostPorts[0]", e.problems().get(0).field());
        assertEquals(9, e.problems().get(0).location().line());
        assertEquals(1, AdmissionPolicies.of(read(policies)).invalidPolicies().size());
    }

    @Test
    void onlyObjectsThatRunPodsAreDecided() {
        assertThrows(IllegalArgumentException.class, () -> admission.admit(pod("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"),
                RequestUser.of("alice"), read(CHAPTER)));
    }

    @Test
    void withoutPoliciesNothingIsAdmitted() {
        AdmissionDecision d = admission.admit(pod(PLAIN_POD), RequestUser.of("alice"), List.of());
        assertFalse(d.allowed());
        assertEquals(List.of("the input has no PodSecurityPolicy: with the admission on, no pod is admitted"), d.notes());
    }

    @Test
    void aScanWithoutPoliciesIsUnaffectedAndAScanWithThemReportsOnlyPodsNoPolicyAdmits() {
        PolicyEngine engine = PolicyEngine.builder().build();
        String pods = """
                apiVersion: v1
                kind: Pod
                metadata: {name: host-net}
                spec:
                  hostNetwork: true
                  containers: [{name: main, image: alpine}]
                ---
                """ + PRIVILEGED_POD;
        EvaluationResult plain = engine.evaluateSnapshot(read(pods));
        assertEquals(List.of("host-network"), plain.findings().stream().map(Finding::rule).distinct().toList());
        assertEquals(2, plain.evaluated());

        EvaluationResult onlyDefault = engine.evaluateSnapshot(read(policy("default", "volumes: ['*']") + pods));
        List<String> psp = new ArrayList<>();
        onlyDefault.findings().stream().filter(f -> f.rule().startsWith("psp-"))
                .forEach(f -> psp.add(f.rule() + " " + f.resource().display() + " " + f.path()));
        assertEquals(List.of("psp-host-namespaces Pod/host-net spec.hostNetwork",
                "psp-privileged Pod/pod-privileged spec.containers[0].securityContext.privileged"), psp.stream().sorted().toList());
        assertTrue(onlyDefault.findings().stream().filter(f -> f.rule().equals("psp-privileged")).findFirst().orElseThrow().message()
                .startsWith("PodSecurityPolicy default: container main is privileged"));
        assertEquals(3, onlyDefault.evaluated(), "the policy is evaluated too");

        EvaluationResult withPrivileged = engine.evaluateSnapshot(read(policy("default", "volumes: ['*']")
                + policy("privileged", "privileged: true\nhostNetwork: true\nvolumes: ['*']") + pods));
        assertTrue(withPrivileged.findings().stream().noneMatch(f -> f.rule().startsWith("psp-")),
                "some policy admits every pod, whoever may use it");
    }

    /**
     * Every rule kind through the admission API: each disallowed example of the pack is denied by
     * its rule at the paths the example names, each allowed example is admitted.
     */
    @TestFactory
    List<DynamicTest> everyRuleKindDecidesItsExamples() throws IOException {
        Path pack = Path.of("src/main/resources/kubeward/rules/pod-security-policy");
        List<DynamicTest> tests = new ArrayList<>();
        List<Path> folders;
        try (Stream<Path> s = Files.list(pack)) {
            folders = s.filter(Files::isDirectory).filter(f -> !f.getFileName().toString().equals("psp-invalid-policy")).sorted().toList();
        }
        for (Path folder : folders) {
            String rule = folder.getFileName().toString();
            List<Path> examples;
            try (Stream<Path> s = Files.list(folder)) {
                examples = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            }
            for (Path example : examples) {
                boolean disallowed = example.getFileName().toString().startsWith("disallowed-");
                tests.add(DynamicTest.dynamicTest(rule + "/" + example.getFileName(), () -> {
                    List<InputObject> objects = new ArrayList<>(READER.read(example).objects());
                    objects.addAll(read(EVERYONE_USES_ALL));
                    List<InputObject> pods = objects.stream().filter(o -> io.kubeward.engine.model.Workload.isWorkloadKind(o.object().getKind())).toList();
                    assertEquals(1, pods.size(), example + " has one pod");
                    AdmissionDecision d = admission.admit(pods.get(0), RequestUser.of("alice"), objects);
                    if (!disallowed) {
                        assertTrue(d.allowed(), example + ": " + d.message());
                        return;
                    }
                    assertFalse(d.allowed(), example + " must be denied");
                    Set<String> paths = d.reasons().values().stream().flatMap(List::stream).filter(r -> r.rule().equals(rule))
                            .map(PolicyRefusal::path).collect(Collectors.toSet());
                    Set<String> expected = Files.readAllLines(example).stream().filter(l -> l.startsWith("# expect-path:"))
                            .map(l -> l.substring("# expect-path:".length()).strip()).collect(Collectors.toSet());
                    assertFalse(paths.isEmpty(), example + ": no refusal of " + rule + " in " + d.reasons());
                    assertTrue(paths.containsAll(expected), example + ": expected " + expected + ", got " + paths);
                }));
            }
        }
        return tests;
    }
}
