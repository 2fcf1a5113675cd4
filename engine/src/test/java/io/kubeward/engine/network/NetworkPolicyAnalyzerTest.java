package io.kubeward.engine.network;

import static io.kubeward.engine.network.Manifests.analyze;
import static io.kubeward.engine.network.Manifests.deployment;
import static io.kubeward.engine.network.Manifests.namespace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkPolicyAnalyzerTest {

    static final String ALL_V4 = "0.0.0.0-255.255.255.255[External]";

    static final String TWO_APPS = deployment("shop", "web", "app=web", "http:8080")
            + deployment("shop", "db", "app=db", "pg:5432");

    @Test
    void withoutPoliciesEverythingIsOpen() {
        Connectivity c = analyze(TWO_APPS);
        assertEquals(List.of(
                ALL_V4 + " => shop/db[Deployment] : All Connections",
                ALL_V4 + " => shop/web[Deployment] : All Connections",
                "shop/db[Deployment] => " + ALL_V4 + " : All Connections",
                "shop/db[Deployment] => shop/web[Deployment] : All Connections",
                "shop/web[Deployment] => " + ALL_V4 + " : All Connections",
                "shop/web[Deployment] => shop/db[Deployment] : All Connections"), c.connlist());
        assertEquals(2, c.podClassCount());
    }

    @Test
    void ingressPolicyIsolatesOnlyTheSelectedPodsAndOnlyForIngress() {
        Connectivity c = analyze(TWO_APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-from-web, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 5432}]
                """);
        assertEquals(List.of(
                ALL_V4 + " => shop/web[Deployment] : All Connections",
                "shop/db[Deployment] => " + ALL_V4 + " : All Connections",
                "shop/db[Deployment] => shop/web[Deployment] : All Connections",
                "shop/web[Deployment] => " + ALL_V4 + " : All Connections",
                "shop/web[Deployment] => shop/db[Deployment] : TCP 5432"), c.connlist(),
                "no policyTypes and no egress section: ingress only; db still sends anywhere");
    }

    @Test
    void anEgressSectionImpliesTheEgressTypeAndAnEmptyOneDoesNot() {
        Connectivity withEgress = analyze(TWO_APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-out, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  egress:
                  - to: [{podSelector: {matchLabels: {app: db}}}]
                """);
        assertEquals(List.of(
                ALL_V4 + " => shop/db[Deployment] : All Connections",
                "shop/db[Deployment] => " + ALL_V4 + " : All Connections",
                "shop/web[Deployment] => shop/db[Deployment] : All Connections"), withEgress.connlist(),
                "web is isolated for ingress (always implied) and egress (egress section present)");

        Connectivity emptyEgress = analyze(TWO_APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-in, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  egress: []
                """);
        assertTrue(emptyEgress.connlist().contains("shop/web[Deployment] => " + ALL_V4 + " : All Connections"),
                "egress: [] adds no Egress type: " + emptyEgress.connlist());
        assertTrue(emptyEgress.connlist().stream().noneMatch(l -> l.endsWith("=> shop/web[Deployment] : All Connections")),
                "ingress isolated without rules: nothing reaches web");
    }

    @Test
    void policyTypesWithoutRulesDenyThatDirection() {
        Connectivity c = analyze(TWO_APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: default-deny, namespace: shop}
                spec:
                  podSelector: {}
                  policyTypes: [Ingress, Egress]
                """);
        assertEquals(List.of(), c.connlist());
    }

    @Test
    void aConnectionNeedsEgressAtTheSourceAndIngressAtTheDestination() {
        Connectivity c = analyze(TWO_APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: web-out, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Egress]
                  egress:
                  - ports: [{port: 5000, endPort: 6000}, {port: 53, protocol: UDP}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db-in, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  policyTypes: [Ingress]
                  ingress:
                  - ports: [{port: 5432}, {port: 5433}, {port: 53, protocol: UDP}, {port: 7000}]
                """);
        assertTrue(c.connlist().contains("shop/web[Deployment] => shop/db[Deployment] : TCP 5432-5433,UDP 53"), c.connlist().toString());
        assertTrue(c.connlist().contains("shop/web[Deployment] => " + ALL_V4 + " : TCP 5000-6000,UDP 53"), c.connlist().toString());
        assertTrue(c.connlist().contains(ALL_V4 + " => shop/db[Deployment] : TCP 5432-5433,7000,UDP 53"),
                c.connlist().toString());
    }

    @Test
    void rulesAndPoliciesAreOred() {
        Connectivity c = analyze(TWO_APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: a, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                  - ports: [{port: 1000}]
                  - ports: [{port: 1001, protocol: SCTP}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: b, namespace: shop}
                spec:
                  podSelector: {}
                  ingress:
                  - ports: [{port: 999}, {port: 1002, protocol: UDP}]
                """);
        assertEquals("SCTP 1001,TCP 999-1000,UDP 1002",
                c.between(Peer.workload("shop", "web", "Deployment"), Peer.workload("shop", "db", "Deployment")).toString());
        assertEquals("TCP 999,UDP 1002",
                c.between(Peer.workload("shop", "db", "Deployment"), Peer.workload("shop", "web", "Deployment")).toString());
    }

    static final String THREE_NAMESPACES = namespace("prod", "env=prod,team=a") + namespace("dev", "env=dev")
            + deployment("prod", "api", "app=api")
            + deployment("prod", "worker", "app=worker")
            + deployment("dev", "api", "app=api")
            + deployment("staging", "api", "app=api");

    private static List<String> sourcesOf(Connectivity c, String destination) {
        return c.connections().stream().filter(x -> x.destination().display().equals(destination))
                .map(x -> x.source().display()).toList();
    }

    private static String policy(String namespace, String name, String fromPeers) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                  podSelector: {matchLabels: {app: worker}}
                  ingress:
                  - from:
                %s
                """.formatted(name, namespace, fromPeers.indent(4).stripTrailing());
    }

    @Test
    void podSelectorAloneMeansThePolicysNamespace() {
        Connectivity c = analyze(THREE_NAMESPACES + policy("prod", "p", "- podSelector: {matchLabels: {app: api}}"));
        assertEquals(List.of("prod/api[Deployment]"), sourcesOf(c, "prod/worker[Deployment]"));
    }

    @Test
    void namespaceAndPodSelectorInOnePeerAreAnded() {
        Connectivity and = analyze(THREE_NAMESPACES + policy("prod", "p", """
                - namespaceSelector: {matchLabels: {env: dev}}
                  podSelector: {matchLabels: {app: api}}"""));
        assertEquals(List.of("dev/api[Deployment]"), sourcesOf(and, "prod/worker[Deployment]"));

        Connectivity or = analyze(THREE_NAMESPACES + policy("prod", "p", """
                - namespaceSelector: {matchLabels: {env: dev}}
                - podSelector: {matchLabels: {app: api}}"""));
        assertEquals(List.of("dev/api[Deployment]", "prod/api[Deployment]"), sourcesOf(or, "prod/worker[Deployment]"));
    }

    @Test
    void emptyNamespaceSelectorMeansEveryNamespace() {
        Connectivity c = analyze(THREE_NAMESPACES + policy("prod", "p", "- namespaceSelector: {}"));
        assertEquals(List.of("dev/api[Deployment]", "prod/api[Deployment]", "staging/api[Deployment]"),
                sourcesOf(c, "prod/worker[Deployment]"), "every pod of every namespace, no external range");
    }

    @Test
    void matchExpressionsOperators() {
        String in = "- namespaceSelector: {matchExpressions: [{key: env, operator: In, values: [dev, qa]}]}";
        String notIn = "- namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [dev]}]}";
        String exists = "- namespaceSelector: {matchExpressions: [{key: team, operator: Exists}]}";
        String doesNotExist = "- namespaceSelector: {matchExpressions: [{key: env, operator: DoesNotExist}]}";
        assertEquals(List.of("dev/api[Deployment]"), sourcesOf(analyze(THREE_NAMESPACES + policy("prod", "p", in)), "prod/worker[Deployment]"));
        assertEquals(List.of("prod/api[Deployment]", "staging/api[Deployment]"),
                sourcesOf(analyze(THREE_NAMESPACES + policy("prod", "p", notIn)), "prod/worker[Deployment]"),
                "NotIn matches namespaces without the key");
        assertEquals(List.of("prod/api[Deployment]"), sourcesOf(analyze(THREE_NAMESPACES + policy("prod", "p", exists)), "prod/worker[Deployment]"));
        assertEquals(List.of("staging/api[Deployment]"),
                sourcesOf(analyze(THREE_NAMESPACES + policy("prod", "p", doesNotExist)), "prod/worker[Deployment]"));
    }

    @Test
    void anUndeclaredNamespaceHasOnlyItsNameLabel() {
        String byName = "- namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: staging}}";
        assertEquals(List.of("staging/api[Deployment]"),
                sourcesOf(analyze(THREE_NAMESPACES + policy("prod", "p", byName)), "prod/worker[Deployment]"));
        String declaredByName = "- namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: dev}}";
        assertEquals(List.of("dev/api[Deployment]"),
                sourcesOf(analyze(THREE_NAMESPACES + policy("prod", "p", declaredByName)), "prod/worker[Deployment]"),
                "declared namespaces get the name label too");
        String other = "- namespaceSelector: {matchExpressions: [{key: env, operator: Exists}]}";
        assertEquals(List.of("dev/api[Deployment]", "prod/api[Deployment]"),
                sourcesOf(analyze(THREE_NAMESPACES + policy("prod", "p", other)), "prod/worker[Deployment]"));
    }

    @Test
    void ipBlocksCutTheExternalRangesAndNeverMatchPods() {
        Connectivity c = analyze(TWO_APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: db, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  policyTypes: [Ingress, Egress]
                  ingress:
                  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
                  egress:
                  - to: [{ipBlock: {cidr: 192.168.1.128/25}}]
                    ports: [{port: 443}]
                """);
        assertEquals(List.of(
                "0.0.0.0-9.255.255.255[External] => shop/web[Deployment] : All Connections",
                "10.0.0.0-10.0.255.255[External] => shop/db[Deployment] : All Connections",
                "10.0.0.0-10.0.255.255[External] => shop/web[Deployment] : All Connections",
                "10.1.0.0-10.1.255.255[External] => shop/web[Deployment] : All Connections",
                "10.2.0.0-10.255.255.255[External] => shop/db[Deployment] : All Connections",
                "10.2.0.0-10.255.255.255[External] => shop/web[Deployment] : All Connections",
                "11.0.0.0-255.255.255.255[External] => shop/web[Deployment] : All Connections",
                "shop/db[Deployment] => 192.168.1.128-192.168.1.255[External] : TCP 443",
                "shop/web[Deployment] => 0.0.0.0-192.168.1.127[External] : All Connections",
                "shop/web[Deployment] => 192.168.1.128-192.168.1.255[External] : All Connections",
                "shop/web[Deployment] => 192.168.2.0-255.255.255.255[External] : All Connections"),
                c.connlist(), "web <-> db is gone both ways: ipBlocks match no pod");
        Peer db = Peer.workload("shop", "db", "Deployment");
        Peer web = Peer.workload("shop", "web", "Deployment");
        assertEquals(ConnectionSet.ALL, c.between(Peer.external(IpRange.parseAddress("10.0.3.4")), db), "one address of a range");
        assertEquals(ConnectionSet.NONE, c.between(Peer.external(IpRange.parseCidr("10.0.0.0/8")), db),
                "a range across boundaries gets what all of its addresses get: 10.1.0.0/16 gets nothing");
        assertEquals(ConnectionSet.NONE, c.between(Peer.external(IpRange.parseCidr("2001:db8::/32")), db), "no IPv6 ipBlock allows it");
        assertEquals(ConnectionSet.ALL, c.between(Peer.external(IpRange.parseCidr("2001:db8::/32")), web), "web is not isolated");
        assertEquals("TCP 443", c.between(db, Peer.external(IpRange.parseAddress("192.168.1.200"))).toString());
    }

    @Test
    void namedPortsResolveOnEachDestinationPod() {
        Connectivity c = analyze(deployment("ns", "client", "app=client")
                + deployment("ns", "a", "role=server,v=a", "web:8080", "dns:53/UDP", "dns:5353/TCP")
                + deployment("ns", "b", "role=server,v=b", "web:9090/TCP")
                + deployment("ns", "c", "role=server,v=c", "other:7070")
                + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: servers, namespace: ns}
                spec:
                  podSelector: {matchLabels: {role: server}}
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: client}}}]
                    ports: [{port: web}, {port: dns, protocol: UDP}]
                """);
        Peer client = Peer.workload("ns", "client", "Deployment");
        assertEquals("TCP 8080,UDP 53", c.between(client, Peer.workload("ns", "a", "Deployment")).toString(),
                "dns names 53/UDP and 5353/TCP: the rule asks UDP");
        assertEquals("TCP 9090", c.between(client, Peer.workload("ns", "b", "Deployment")).toString());
        assertEquals(ConnectionSet.NONE, c.between(client, Peer.workload("ns", "c", "Deployment")),
                "no container port is named web or dns: the rule allows nothing");
        assertEquals(4, c.podClassCount(), "four workloads with different labels: four classes");
    }

    @Test
    void namedPortsInEgressResolveOnTheDestinationAndNeverOnAddresses() {
        Connectivity c = analyze(deployment("ns", "client", "app=client")
                + deployment("ns", "server", "app=server", "web:8443")
                + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: client-out, namespace: ns}
                spec:
                  podSelector: {matchLabels: {app: client}}
                  policyTypes: [Egress]
                  egress:
                  - ports: [{port: web}, {port: 53, protocol: UDP}]
                """);
        assertEquals("TCP 8443,UDP 53", c.between(Peer.workload("ns", "client", "Deployment"),
                Peer.workload("ns", "server", "Deployment")).toString());
        assertTrue(c.connlist().contains("ns/client[Deployment] => " + ALL_V4 + " : UDP 53"), c.connlist().toString());
    }

    @Test
    void fullRangesOnAllProtocolsPrintAllConnections() {
        Connectivity c = analyze(TWO_APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: full, namespace: shop}
                spec:
                  podSelector: {}
                  ingress:
                  - ports:
                    - {port: 1, endPort: 65535, protocol: TCP}
                    - {port: 1, endPort: 30000, protocol: UDP}
                    - {port: 30001, endPort: 65535, protocol: UDP}
                    - {protocol: SCTP}
                """);
        assertEquals(6, c.connlist().size());
        assertTrue(c.connlist().stream().allMatch(l -> l.endsWith(": All Connections")), c.connlist().toString());
        Connectivity tcpOnly = analyze(TWO_APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: tcp, namespace: shop}
                spec:
                  podSelector: {}
                  ingress:
                  - ports: [{protocol: TCP}]
                """);
        assertTrue(tcpOnly.connlist().contains("shop/db[Deployment] => shop/web[Deployment] : TCP 1-65535"), tcpOnly.connlist().toString());
    }

    @Test
    void podsFoldIntoTheirControllerAndWorkloadKindsKeepTheirNames() {
        Connectivity c = analyze("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-5d8f-abcde
                  labels: {app: web}
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: u1, controller: true}]
                spec: {containers: [{name: c, image: nginx}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web-5d8f-fghij
                  labels: {app: web}
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f, uid: u1, controller: true}]
                spec: {containers: [{name: c, image: nginx}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: lonely
                  labels: {app: lonely}
                  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: not-a-controller, uid: u2}]
                spec: {containers: [{name: c, image: busybox}]}
                ---
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: nightly, namespace: jobs}
                spec:
                  schedule: "0 0 * * *"
                  jobTemplate: {spec: {template: {metadata: {labels: {app: nightly}}, spec: {containers: [{name: c, image: x}]}}}}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: once, namespace: jobs}
                spec: {template: {metadata: {labels: {app: once}}, spec: {containers: [{name: c, image: x}]}}}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: store, namespace: data}
                spec: {selector: {}, serviceName: store, template: {metadata: {labels: {app: store}}, spec: {containers: [{name: c, image: x}]}}}
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent, namespace: kube-system}
                spec: {selector: {}, template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: c, image: x}]}}}
                ---
                apiVersion: v1
                kind: ReplicationController
                metadata: {name: legacy}
                spec: {template: {metadata: {labels: {app: legacy}}, spec: {containers: [{name: c, image: x}]}}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: ignored}
                spec: {ports: [{port: 80}]}
                """);
        assertEquals(List.of("data/store[StatefulSet]", "default/legacy[ReplicationController]", "default/lonely[Pod]",
                "default/web-5d8f[ReplicaSet]", "jobs/nightly[CronJob]", "jobs/once[Job]", "kube-system/agent[DaemonSet]"),
                c.workloads().stream().map(Peer::display).toList());
        assertEquals(7, c.podClassCount(), "both replicas of web-5d8f have equal labels: one class");
        assertTrue(c.connlist().stream().noneMatch(l -> l.startsWith("default/web-5d8f[ReplicaSet] => default/web-5d8f[ReplicaSet]")),
                "a workload to itself is never listed");
    }

    @Test
    void linesAreSortedByteWise() {
        Connectivity c = analyze(deployment("default", "cognetive-agents", "app=a")
                + deployment("default", "cognetive-agents-agent", "app=b")
                + deployment("Zeta", "x", "app=c"));
        List<String> sources = c.connections().stream().map(x -> x.source().display()).distinct().toList();
        assertEquals(List.of(ALL_V4, "Zeta/x[Deployment]", "default/cognetive-agents-agent[Deployment]",
                "default/cognetive-agents[Deployment]"), sources, "'-' sorts before '[' and upper case before lower case");
    }

    @Test
    void jsonAndDotRenderTheSameConnections() {
        Connectivity c = analyze(TWO_APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  policyTypes: [Ingress, Egress]
                  ingress:
                  - from: [{podSelector: {matchLabels: {app: web}}}]
                    ports: [{port: 5432}]
                """);
        assertEquals("""
                [
                  {"src": "0.0.0.0-255.255.255.255[External]", "dst": "shop/web[Deployment]", "conn": "All Connections"},
                  {"src": "shop/web[Deployment]", "dst": "0.0.0.0-255.255.255.255[External]", "conn": "All Connections"},
                  {"src": "shop/web[Deployment]", "dst": "shop/db[Deployment]", "conn": "TCP 5432"}
                ]
                """, c.toJson());
        String dot = c.toDot();
        assertTrue(dot.startsWith("digraph connectivity {"), dot);
        assertTrue(dot.contains("label=\"shop\""), dot);
        assertTrue(dot.contains("\"shop/db[Deployment]\" [label=\"db[Deployment]\" shape=box]"), dot);
        assertTrue(dot.contains("\"shop/web[Deployment]\" -> \"shop/db[Deployment]\" [label=\"TCP 5432\"]"), dot);
        assertTrue(dot.contains("\"0.0.0.0-255.255.255.255[External]\" [label=\"0.0.0.0-255.255.255.255\" shape=ellipse"), dot);
        assertEquals(3, dot.lines().filter(l -> l.contains(" -> ")).count());
        assertEquals("[]\n", analyze(TWO_APPS + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: shop}
                spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                """).toJson());
    }
}
