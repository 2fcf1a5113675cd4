package io.kubeward.engine.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Policies the API server would refuse stop the analysis with the policy, the field and the reason. */
class NetworkPolicyValidationTest {

    private static NetworkPolicyValidationException failure(String spec) {
        String yaml = Manifests.deployment("team", "app", "app=x") + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: broken, namespace: team}
                spec:
                """ + spec.indent(2);
        return assertThrows(NetworkPolicyValidationException.class, () -> Manifests.analyze(yaml));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad CIDR              | {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0}}]}]}                      | spec.ingress[0].from[0].ipBlock.cidr              | is not a CIDR
            bad CIDR octet        | {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.300/8}}]}]}                  | spec.ingress[0].from[0].ipBlock.cidr              | octet 300
            bad prefix            | {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/33}}]}]}                      | spec.egress[0].to[0].ipBlock.cidr                 | prefix length must be 0 to 32
            except outside        | {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/8]}}]}]} | spec.ingress[0].from[0].ipBlock.except[0]      | strictly inside
            bad label key         | {podSelector: {matchLabels: {"app@b": x}}}                                                | spec.podSelector.matchLabels                      | invalid label key "app@b"
            bad key prefix        | {podSelector: {matchLabels: {"Example.com/app": x}}}                                      | spec.podSelector.matchLabels                      | DNS subdomain
            bad label value       | {podSelector: {matchLabels: {app: "$x"}}}                                                 | spec.podSelector.matchLabels.app                  | invalid label value "$x"
            bad expression value  | {podSelector: {matchExpressions: [{key: app, operator: In, values: ["a b"]}]}}            | spec.podSelector.matchExpressions[0].values[0]    | invalid label value
            In without values     | {podSelector: {matchExpressions: [{key: app, operator: In}]}}                             | spec.podSelector.matchExpressions[0].values       | needs at least one value
            Exists with values    | {podSelector: {matchExpressions: [{key: app, operator: Exists, values: [a]}]}}            | spec.podSelector.matchExpressions[0].values       | takes no values
            unknown operator      | {podSelector: {matchExpressions: [{key: app, operator: Gt, values: ["1"]}]}}              | spec.podSelector.matchExpressions[0].operator     | "Gt"
            selector and ipBlock  | {podSelector: {}, ingress: [{from: [{namespaceSelector: {}, ipBlock: {cidr: 0.0.0.0/0}}]}]} | spec.ingress[0].from[0]                        | not both
            empty peer            | {podSelector: {}, egress: [{to: [{}]}]}                                                   | spec.egress[0].to[0]                              | empty peer
            endPort with name     | {podSelector: {}, ingress: [{ports: [{port: http, endPort: 9000}]}]}                      | spec.ingress[0].ports[0].endPort                  | named port "http"
            endPort below port    | {podSelector: {}, ingress: [{ports: [{port: 10, endPort: 1}]}]}                           | spec.ingress[0].ports[0].endPort                  | endPort 1 is below port 10
            endPort without port  | {podSelector: {}, ingress: [{ports: [{endPort: 80}]}]}                                    | spec.ingress[0].ports[0].endPort                  | numeric port
            port out of range     | {podSelector: {}, ingress: [{ports: [{port: 70000}]}]}                                    | spec.ingress[0].ports[0].port                     | outside 1-65535
            bad port name         | {podSelector: {}, ingress: [{ports: [{port: "8080"}]}]}                                   | spec.ingress[0].ports[0].port                     | neither a port number nor a valid port name
            bad protocol          | {podSelector: {}, ingress: [{ports: [{port: 53, protocol: udp}]}]}                        | spec.ingress[0].ports[0].protocol                 | TCP, UDP or SCTP
            bad policy type       | {podSelector: {}, policyTypes: [Ingress, Outgress]}                                       | spec.policyTypes[1]                               | "Outgress"
            named port to address | {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: dns}]}]}   | spec.egress[0].ports[0].port                      | ipBlock peer spec.egress[0].to[0]
            """)
    void namesThePolicyAndTheField(String what, String spec, String field, String message) {
        NetworkPolicyValidationException e = failure(spec);
        assertEquals("team/broken", e.policy(), what);
        assertEquals(field, e.field(), what + ": " + e.getMessage());
        assertTrue(e.problems().get(0).message().contains(message), what + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid NetworkPolicy team/broken, " + field + " (test.yaml"), e.getMessage());
    }

    @Test
    void namedPortsWithAnIngressIpBlockAreValid() {
        Connectivity c = Manifests.analyze(Manifests.deployment("team", "app", "app=x", "web:8080") + """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: ok, namespace: team}
                spec:
                  podSelector: {}
                  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: web}]}]
                """);
        assertEquals(List.of("0.0.0.0-255.255.255.255[External] => team/app[Deployment] : TCP 8080",
                "team/app[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections"), c.connlist(),
                "ingress named ports resolve on the selected pod, whatever the source");
    }

    @Test
    void duplicateNamesInOneNamespaceAreRefusedButNotAcrossNamespaces() {
        String policy = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: same, namespace: %s}
                spec: {podSelector: {}}
                ---
                """;
        NetworkPolicyValidationException e = assertThrows(NetworkPolicyValidationException.class,
                () -> Manifests.analyze(policy.formatted("a") + policy.formatted("a")));
        assertEquals("a/same", e.policy());
        assertEquals("metadata.name", e.field());
        assertTrue(e.getMessage().contains("already declared in namespace a (test.yaml:1 (document 1))"), e.getMessage());
        Manifests.analyze(policy.formatted("a") + policy.formatted("b"));
    }

    @Test
    void everyProblemIsListedNotOnlyTheFirst() {
        NetworkPolicyValidationException e = failure("""
                podSelector: {matchLabels: {"bad key": x}}
                ingress:
                - from: [{}]
                  ports: [{port: 0}]
                """);
        assertEquals(List.of("spec.podSelector.matchLabels", "spec.ingress[0].from[0]", "spec.ingress[0].ports[0].port"),
                e.problems().stream().map(NetworkPolicyValidationException.Problem::field).toList());
        assertTrue(e.getMessage().startsWith("3 invalid NetworkPolicy fields:\n  NetworkPolicy team/broken, spec.podSelector.matchLabels"),
                e.getMessage());
    }
}
