Feature: Weak network isolation is reported
  The network rules read NetworkPolicies, Namespaces, Services and workloads together and report
  where isolation is missing or wider than it looks. Each scenario uses the rule's own examples.

  @missing-default-deny-ingress
  Scenario: A namespace whose policies select only some pods has no default deny for ingress
    Given the manifest "rules/src/main/resources/kubeward/rules/network/missing-default-deny-ingress/disallowed-policies-for-some-pods.yaml"
    When it is scanned
    Then rule missing-default-deny-ingress says "has no NetworkPolicy that selects every pod (podSelector: {}) for Ingress"

  @missing-default-deny-egress
  Scenario: Default deny for ingress only leaves egress open (low severity)
    Given the manifest "rules/src/main/resources/kubeward/rules/network/missing-default-deny-egress/disallowed-ingress-only.yaml"
    When it is scanned
    Then rule missing-default-deny-egress says "for Egress"

  @workload-without-network-policy
  Scenario: A workload that no policy of its namespace selects is reported at its pod labels
    Given the manifest "rules/src/main/resources/kubeward/rules/network/workload-without-network-policy/disallowed-unselected.yaml"
    When it is scanned
    Then rule workload-without-network-policy says "they accept connections from anywhere and may connect anywhere"

  @workload-without-network-policy
  Scenario: A selected workload is not reported
    Given the manifest "rules/src/main/resources/kubeward/rules/network/workload-without-network-policy/allowed-selected.yaml"
    When it is scanned
    Then rule workload-without-network-policy reports nothing

  @network-policy-selects-no-pod
  Scenario: A policy whose podSelector matches no workload (a label typo) protects nothing
    Given the manifest "rules/src/main/resources/kubeward/rules/network/network-policy-selects-no-pod/disallowed-label-typo.yaml"
    When it is scanned
    Then rule network-policy-selects-no-pod says "matches"

  @network-policy-allows-all-peers
  Scenario: An ingress rule with an empty from allows every pod and every address
    Given the manifest "rules/src/main/resources/kubeward/rules/network/network-policy-allows-all-peers/disallowed-empty-from.yaml"
    When it is scanned
    Then rule network-policy-allows-all-peers says "names no from peers"

  @network-policy-allows-all-peers
  Scenario: Named peers are not reported
    Given the manifest "rules/src/main/resources/kubeward/rules/network/network-policy-allows-all-peers/allowed-named-peers.yaml"
    When it is scanned
    Then rule network-policy-allows-all-peers reports nothing

  @egress-to-cloud-metadata
  Scenario: Egress to 0.0.0.0/0 reaches the cloud metadata address; an except for it does not
    Given the manifest "rules/src/main/resources/kubeward/rules/network/egress-to-cloud-metadata/disallowed-any-address.yaml"
    When it is scanned
    Then rule egress-to-cloud-metadata says "169.254.169.254"

  @egress-to-cloud-metadata
  Scenario: An egress ipBlock that excepts the metadata address is not reported
    Given the manifest "rules/src/main/resources/kubeward/rules/network/egress-to-cloud-metadata/allowed-excepted.yaml"
    When it is scanned
    Then rule egress-to-cloud-metadata reports nothing

  @ingress-from-all-namespaces-on-node-port
  Scenario: Ingress open to all namespaces on a port a NodePort Service exposes on every node
    Given the manifest "rules/src/main/resources/kubeward/rules/network/ingress-from-all-namespaces-on-node-port/disallowed-node-port-service.yaml"
    When it is scanned
    Then rule ingress-from-all-namespaces-on-node-port says "exposes on every node"

  @ingress-from-all-namespaces-on-node-port
  Scenario: Ingress open to all namespaces on a hostPort
    Given the manifest "rules/src/main/resources/kubeward/rules/network/ingress-from-all-namespaces-on-node-port/disallowed-host-port.yaml"
    When it is scanned
    Then rule ingress-from-all-namespaces-on-node-port says "is open to every namespace on port"

  @network-policy-invalid
  Scenario: An invalid policy is a finding of the scan, with the field named
    Given the manifest "rules/src/main/resources/kubeward/rules/network/network-policy-invalid/disallowed-bad-cidr.yaml"
    When it is scanned
    Then rule network-policy-invalid reports field "spec.ingress[0].from[0].ipBlock.cidr" of "NetworkPolicy/shop/db"
    And rule network-policy-invalid says "is not a valid CIDR"
