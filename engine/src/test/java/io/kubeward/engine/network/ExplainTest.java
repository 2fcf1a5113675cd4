package io.kubeward.engine.network;

import static io.kubeward.engine.network.Manifests.deployment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainTest {

    static final Connectivity SHOP = Manifests.analyze(deployment("shop", "web", "app=web")
            + deployment("shop", "db", "app=db", "pg:5432")
            + deployment("open", "tool", "app=tool")
            + """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: default-deny, namespace: shop}
            spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-dns, namespace: shop}
            spec:
              podSelector: {}
              policyTypes: [Egress]
              egress: [{ports: [{port: 53, protocol: UDP}]}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-egress, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: web}}
              egress:
              - to: [{podSelector: {matchLabels: {app: db}}}]
                ports: [{port: 5432}]
              - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
                ports: [{port: 443}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-ingress, namespace: shop}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: web}}}]
                ports: [{port: 5432}]
              - from: [{namespaceSelector: {}}]
                ports: [{port: pg}]
            """);

    static RuleRef rule(String policy, Direction d, int index) {
        return new RuleRef(policy, d, index);
    }

    @Test
    void allowedNamesEveryRuleThatAllowsIt() {
        Explanation e = SHOP.explain("shop/web[Deployment]", "shop/db", 5432, "TCP");
        assertTrue(e.allowed());
        assertEquals(Explanation.Verdict.ALLOWED, e.egress().verdict());
        assertEquals(List.of(rule("shop/web-egress", Direction.EGRESS, 0)), e.egress().allowingRules());
        assertEquals(List.of("shop/default-deny", "shop/allow-dns", "shop/web-egress"), e.egress().isolatingPolicies());
        assertEquals(List.of(rule("shop/db-ingress", Direction.INGRESS, 0), rule("shop/db-ingress", Direction.INGRESS, 1)),
                e.ingress().allowingRules(), "the named port pg is 5432 on db");
        assertEquals(List.of(
                "shop/web[Deployment] => shop/db[Deployment] on 5432/TCP: allowed",
                "  egress at shop/web[Deployment]: allowed by shop/web-egress spec.egress[0]",
                "  ingress at shop/db[Deployment]: allowed by shop/db-ingress spec.ingress[0], shop/db-ingress spec.ingress[1]"),
                e.lines());
    }

    @Test
    void deniedNamesTheIsolationThatBlocksIt() {
        Explanation both = SHOP.explain("shop/web", "shop/db", 6379, "tcp");
        assertFalse(both.allowed());
        assertEquals("denied by egress isolation at the source and ingress isolation at the destination", both.verdict());
        assertEquals("  egress at shop/web[Deployment]: blocked: isolated by shop/default-deny, shop/allow-dns, shop/web-egress, "
                + "and none of their egress rules allows 6379/TCP to shop/db[Deployment]", both.lines().get(1));

        Explanation ingressOnly = SHOP.explain("shop/db", "shop/web", 53, "UDP");
        assertEquals("denied by ingress isolation at the destination", ingressOnly.verdict());
        assertEquals(List.of(rule("shop/allow-dns", Direction.EGRESS, 0)), ingressOnly.egress().allowingRules());
        assertEquals(List.of("shop/default-deny", "shop/web-egress"), ingressOnly.ingress().isolatingPolicies(),
                "web-egress has no policyTypes: it isolates for Ingress too");

        Explanation egressOnly = SHOP.explain("shop/db", "open/tool", 80, null);
        assertEquals("denied by egress isolation at the source", egressOnly.verdict());
        assertEquals(Explanation.Verdict.NOT_ISOLATED, egressOnly.ingress().verdict());
        assertEquals("  ingress at open/tool[Deployment]: not isolated (no policy selects it for Ingress), all allowed",
                egressOnly.lines().get(2));
    }

    @Test
    void addressesOutsideTheCluster() {
        Explanation out = SHOP.explain("shop/web", "8.8.8.8", 443, "TCP");
        assertTrue(out.allowed());
        assertEquals(List.of(rule("shop/web-egress", Direction.EGRESS, 1)), out.egress().allowingRules());
        assertEquals(Explanation.Verdict.OUTSIDE_CLUSTER, out.ingress().verdict());
        assertEquals("  ingress at 8.8.8.8: outside the cluster, no policy applies", out.lines().get(2));

        assertFalse(SHOP.explain("shop/web", "10.1.2.3", 443, "TCP").allowed(), "10.0.0.0/8 is excepted");
        assertFalse(SHOP.explain("shop/web", "8.8.8.8", 80, "TCP").allowed());

        Explanation in = SHOP.explain("192.0.2.1", "shop/db", 5432, "TCP");
        assertEquals("denied by ingress isolation at the destination", in.verdict(),
                "namespaceSelector {} matches pods of every namespace, never an address");
        assertEquals(Explanation.Verdict.OUTSIDE_CLUSTER, in.egress().verdict());
        assertTrue(SHOP.explain("2001:db8::1", "open/tool", 22, "TCP").allowed(), "an unisolated pod takes IPv6 too");
    }

    @Test
    void agreesWithTheConnlistOnEveryPairAndPort() {
        for (Connection c : SHOP.connections()) {
            if (c.source().isExternal() || c.destination().isExternal()) {
                continue;
            }
            for (int port : new int[] {53, 443, 5432, 6379}) {
                for (Protocol p : Protocol.values()) {
                    assertEquals(c.connections().allows(p, port),
                            SHOP.explain(c.source().display(), c.destination().display(), port, p.name()).allowed(),
                            c + " " + port + "/" + p);
                }
            }
        }
    }

    @Test
    void badQuestionsGetClearErrors() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> SHOP.explain("shop/nope", "shop/db", 80, "TCP"));
        assertEquals("unknown source \"shop/nope\": give a workload as namespace/name[Kind] or namespace/name, or an IP address; "
                + "workloads include open/tool[Deployment], shop/db[Deployment], shop/web[Deployment]", unknown.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SHOP.explain("1.1.1.1", "2.2.2.2", 80, "TCP"))
                .getMessage().contains("both ends are addresses outside the cluster"));
        assertThrows(IllegalArgumentException.class, () -> SHOP.explain("shop/web", "shop/db", 0, "TCP"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SHOP.explain("shop/web", "shop/db", 80, "ICMP"))
                .getMessage().contains("TCP, UDP or SCTP"));
    }

    @Test
    void podsAreFoundByTheirOwnNameToo() {
        Connectivity c = Manifests.analyze("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: api-7f9c-x2x2x
                  namespace: prod
                  labels: {app: api}
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-7f9c, uid: u, controller: true}]
                spec: {containers: [{name: c, image: x}]}
                """);
        Explanation e = c.explain("prod/api-7f9c-x2x2x", "203.0.113.9", 443, "TCP");
        assertEquals("prod/api-7f9c[ReplicaSet]", e.source());
        assertTrue(e.allowed());
    }
}
