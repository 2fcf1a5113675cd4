package io.kubeward.engine.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.engine.InputObject;
import io.kubeward.engine.model.ContainerPort;
import io.kubeward.engine.model.ServiceView;
import io.kubeward.engine.model.Workload;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkFactsTest {

    static final String SNAPSHOT = Manifests.namespace("shop", "tier=prod") + """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: default-deny, namespace: shop}
            spec: {podSelector: {}, policyTypes: [Ingress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: web}}
              ingress:
              - from: [{namespaceSelector: {}}]
                ports: [{port: http}]
              - from: [{ipBlock: {cidr: 0.0.0.0/0}}]
                ports: [{port: 443}]
              egress:
              - to: [{podSelector: {}}, {ipBlock: {cidr: 169.254.0.0/16}}]
                ports: [{port: 80}]
              - ports: [{port: 53, protocol: UDP}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: broken, namespace: other}
            spec:
              podSelector: {matchLabels: {app: nothing}}
              ingress: [{from: [{ipBlock: {cidr: nonsense}}]}]
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: report, namespace: shop}
            spec:
              schedule: "@daily"
              jobTemplate: {spec: {template: {metadata: {labels: {app: report}}, spec: {containers: [{name: c, image: x}]}}}}
            ---
            """ + Manifests.deployment("shop", "web", "app=web", "http:8080")
            + """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              type: LoadBalancer
              selector: {app: web}
              ports: [{port: 443, targetPort: http, nodePort: 31443}]
            """;

    static final List<InputObject> INPUTS = Manifests.parse(SNAPSHOT);
    static final List<Workload> WORKLOADS = INPUTS.stream()
            .flatMap(i -> Workload.of(i.object(), i.source()).stream()).toList();
    static final List<Object> FACTS = NetworkFacts.of(INPUTS, WORKLOADS);

    static <T> List<T> facts(Class<T> type) {
        return FACTS.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static NetworkPolicyView policy(String ref) {
        return facts(NetworkPolicyView.class).stream().filter(p -> p.getRef().equals(ref)).findFirst().orElseThrow();
    }

    @Test
    void namespacesKnowTheirPoliciesAndDefaultDeny() {
        List<NamespaceView> namespaces = facts(NamespaceView.class);
        assertEquals(List.of("other", "shop"), namespaces.stream().map(NamespaceView::getName).toList());
        NamespaceView shop = namespaces.get(1);
        assertTrue(shop.isDeclared());
        assertEquals("prod", shop.getLabels().get("tier"));
        assertEquals("shop", shop.getLabels().get("kubernetes.io/metadata.name"));
        assertTrue(shop.isDefaultDenyIngress());
        assertFalse(shop.isDefaultDenyEgress(), "web's egress policy selects only web");
        assertEquals(2, shop.getWorkloadCount());
        NamespaceView other = namespaces.get(0);
        assertFalse(other.isDeclared());
        assertTrue(other.isNetworkKnown(), "a policy of the namespace is in the snapshot");
    }

    @Test
    void workloadsKnowWhichPoliciesSelectThem() {
        List<WorkloadNetworkView> views = facts(WorkloadNetworkView.class);
        WorkloadNetworkView report = views.stream().filter(v -> v.getWorkload().getKind().equals("CronJob")).findFirst().orElseThrow();
        assertEquals(List.of("shop/default-deny"), report.getSelectedBy().stream().map(NetworkPolicyView::getRef).toList());
        assertEquals("spec.jobTemplate.spec.template.metadata.labels", report.getPodLabelsPath());
        WorkloadNetworkView web = views.stream().filter(v -> v.getWorkload().getKind().equals("Deployment")).findFirst().orElseThrow();
        assertEquals(List.of("shop/default-deny", "shop/web"), web.getSelectedBy().stream().map(NetworkPolicyView::getRef).toList());
        assertEquals("spec.template.metadata.labels", web.getPodLabelsPath());
        assertEquals(List.of("Deployment/shop/web"), policy("shop/web").getSelectedWorkloads().stream().map(w -> w.getResource().display()).toList());
    }

    @Test
    void invalidPoliciesAreFactsWithProblems() {
        NetworkPolicyView broken = policy("other/broken");
        assertFalse(broken.isValid());
        assertEquals("spec.ingress[0].from[0].ipBlock.cidr", broken.getProblems().get(0).field());
        assertEquals(0, broken.getNamespaceWorkloadCount());
        assertTrue(policy("shop/web").isValid());
    }

    @Test
    void ruleViewsJudgeWhatTheyLetThrough() {
        List<NetworkPolicyRuleView> rules = policy("shop/web").getRules();
        assertEquals(List.of("spec.ingress[0]", "spec.ingress[1]", "spec.egress[0]", "spec.egress[1]"),
                rules.stream().map(NetworkPolicyRuleView::getPath).toList());
        NetworkPolicyRuleView fromAllNamespaces = rules.get(0);
        NetworkPolicyRuleView fromAnywhere = rules.get(1);
        NetworkPolicyRuleView toLinkLocal = rules.get(2);
        NetworkPolicyRuleView dns = rules.get(3);
        assertTrue(fromAllNamespaces.isOpenToAllNamespaces());
        assertFalse(fromAnywhere.isOpenToAllNamespaces(), "an ipBlock does not select pods");
        assertEquals(List.of("spec.ingress[1].from[0].ipBlock.cidr"), fromAnywhere.getWholeAddressSpacePaths());
        assertEquals("spec.egress[0].to[1].ipBlock.cidr", toLinkLocal.getCloudMetadataPath());
        assertEquals("80", toLinkLocal.getExternalTcpPorts());
        assertTrue(dns.isPeerless());
        assertNull(dns.getCloudMetadataPath(), "UDP only");

        Workload web = WORKLOADS.stream().filter(w -> w.getKind().equals("Deployment")).findFirst().orElseThrow();
        ContainerPort http = web.getContainers().get(0).getPorts().get(0);
        assertTrue(fromAllNamespaces.allowsContainerPort(http), "the named port http is 8080");
        assertFalse(fromAnywhere.allowsContainerPort(http));
        Service svc = (Service) INPUTS.get(INPUTS.size() - 1).object();
        assertEquals(List.of("port 443 (nodePort 31443) to 8080/TCP"), fromAllNamespaces.nodePortsReaching(new ServiceView(svc, null), web));
        Workload report = WORKLOADS.stream().filter(w -> w.getKind().equals("CronJob")).findFirst().orElseThrow();
        assertEquals(List.of(), fromAllNamespaces.nodePortsReaching(new ServiceView(svc, null), report));
    }
}
