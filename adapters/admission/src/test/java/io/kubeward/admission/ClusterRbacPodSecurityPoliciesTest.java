package io.kubeward.admission;

import static io.kubeward.admission.Reviews.allowed;
import static io.kubeward.admission.Reviews.auditAnnotations;
import static io.kubeward.admission.Reviews.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.psp.PodSecurityPolicyView;
import io.kubeward.engine.psp.RbacAuthorizer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Policies from files, RBAC from fabric8's mock API server in CRUD mode: a binding created, changed
 * or deleted in the cluster changes who the mutating webhook admits.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterRbacPodSecurityPoliciesTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private ClusterRbacPodSecurityPolicies source;

    @AfterEach
    void tearDown() {
        if (source != null) {
            source.close();
        }
        server.reset();
    }

    static HasMetadata rbac(String kind, String name) {
        return PspFixtures.objects("policies.yaml").stream().map(InputObject::object)
                .filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void bindingsInTheClusterDecideWhoMayUseThePolicies() throws Exception {
        List<InputObject> policiesOnly = PspFixtures.objects("policies.yaml").stream()
                .filter(o -> PodSecurityPolicyView.isPodSecurityPolicy(o.object())).toList();
        AtomicReference<List<InputObject>> files = new AtomicReference<>(policiesOnly);
        source = ClusterRbacPodSecurityPolicies.start(client, files::get);
        ClusterNamespaceLabelsTest.until("the RBAC watches have synced", source::isReady);
        AdmissionController c = AdmissionController.builder().engine(TestEngines.shared()).auditLog(AuditLog.none())
                .defaulter(new PodSecurityPolicyDefaulter(TestEngines.podSecurityPolicies(), source)).build();
        assertTrue(c.isReady());

        byte[] none = c.mutate(PspFixtures.bytes("pod-create-plain.json"));
        assertFalse(allowed(none));
        assertTrue(message(none).contains("no PodSecurityPolicy is available to jane@example.com"), message(none));

        client.resource(rbac("ClusterRole", "psp-restricted")).create();
        client.resource(rbac("ClusterRoleBinding", "developers-restricted")).create();
        ClusterNamespaceLabelsTest.until("jane's group is bound", () -> allowed(c.mutate(PspFixtures.bytes("pod-create-plain.json"))));
        byte[] jane = c.mutate(PspFixtures.bytes("pod-create-plain.json"));
        assertEquals("a-restricted", auditAnnotations(jane).get(PodSecurityPolicyDefaulter.ADMIT_POLICY));
        assertEquals(PspFixtures.tree(PspFixtures.bytes("pod-create-plain.defaulted.json")),
                PspFixtures.applyPatch(Reviews.patch(jane), PspFixtures.sentObject(PspFixtures.bytes("pod-create-plain.json"))));
        assertSame(source.current(), source.current(), "nothing changed: the same decision set, not a rebuild per review");

        // the service account agent gets b-privileged in team-a through a Role and RoleBinding of the cluster
        assertFalse(allowed(c.mutate(PspFixtures.bytes("pod-create-privileged-agent.json"))));
        client.resource(rbac("Role", "psp-privileged")).create();
        client.resource(rbac("RoleBinding", "agent-privileged")).create();
        ClusterNamespaceLabelsTest.until("the agent is bound",
                () -> allowed(c.mutate(PspFixtures.bytes("pod-create-privileged-agent.json"))));
        assertEquals(4, source.rbacObjects());

        client.rbac().clusterRoleBindings().withName("developers-restricted").delete();
        ClusterNamespaceLabelsTest.until("jane's binding deleted", () -> !allowed(c.mutate(PspFixtures.bytes("pod-create-plain.json"))));

        // RBAC objects among the given objects count too, and a new snapshot of them is picked up
        files.set(PspFixtures.objects("policies.yaml").stream()
                .filter(o -> PodSecurityPolicyView.isPodSecurityPolicy(o.object()) || RbacAuthorizer.isRbacObject(o.object())).toList());
        assertTrue(allowed(c.mutate(PspFixtures.bytes("pod-create-plain.json"))));
    }
}
