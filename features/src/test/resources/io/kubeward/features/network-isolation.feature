Feature: Network isolation with NetworkPolicies
  A pod accepts and opens any connection until a NetworkPolicy of its namespace selects it. kubeward
  reports namespaces and workloads left open, policies that select nothing or let everything through,
  egress to the cloud metadata address, and invalid policies, at the field to change.

  @missing-default-deny-ingress @missing-default-deny-egress @workload-without-network-policy
  Scenario: A namespace without policies leaves every pod open
    Given the manifest:
      """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
      spec:
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
              - name: web
                image: nginx:1.27
      """
    When it is scanned
    Then rule missing-default-deny-ingress reports field "metadata.name" of "Namespace/shop"
    And rule missing-default-deny-ingress reports "Namespace/shop" with severity medium
    And rule missing-default-deny-egress reports "Namespace/shop" with severity low
    And rule workload-without-network-policy reports field "spec.template.metadata.labels" of "Deployment/shop/web"

  @missing-default-deny-ingress @workload-without-network-policy
  Scenario: A workload manifest alone says nothing about the cluster's policies
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: ordinary
        namespace: shop
      spec:
        containers:
          - name: main
            image: alpine
      """
    When it is scanned
    Then rule missing-default-deny-ingress reports nothing
    And rule workload-without-network-policy reports nothing

  @missing-default-deny-ingress @missing-default-deny-egress @network-policy-allows-all-peers
  Scenario: A default-deny namespace with a DNS rule
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: default-deny
        namespace: shop
      spec:
        podSelector: {}
        policyTypes: [Ingress, Egress]
      ---
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: dns
        namespace: shop
      spec:
        podSelector: {}
        policyTypes: [Egress]
        egress:
          - ports:
              - {port: 53, protocol: UDP}
      """
    When it is scanned
    Then rule missing-default-deny-ingress reports nothing
    And rule missing-default-deny-egress reports nothing
    And rule network-policy-allows-all-peers reports field "spec.egress[0]" of "NetworkPolicy/shop/dns"
    And rule network-policy-allows-all-peers reports "NetworkPolicy/shop/dns" with severity low

  @network-policy-selects-no-pod
  Scenario: A label typo leaves the policy without pods
    Given the manifest "rules/src/main/resources/kubeward/rules/network/network-policy-selects-no-pod/disallowed-label-typo.yaml"
    When it is scanned
    Then rule network-policy-selects-no-pod reports field "spec.podSelector" of "NetworkPolicy/web"
    And rule network-policy-selects-no-pod says "podSelector {app=wbe} matches not the one workload of namespace default"

  @egress-to-cloud-metadata @network-policy-allows-all-peers
  Scenario: Egress to every address reaches the cloud metadata service
    Given the manifest "rules/src/main/resources/kubeward/rules/network/network-policy-allows-all-peers/disallowed-any-address.yaml"
    When it is scanned
    Then rule egress-to-cloud-metadata reports field "spec.egress[0].to[1].ipBlock.cidr" of "NetworkPolicy/shop/api-out"
    And rule egress-to-cloud-metadata reports "NetworkPolicy/shop/api-out" with severity high
    And rule network-policy-allows-all-peers reports field "spec.egress[0].to[1].ipBlock.cidr" of "NetworkPolicy/shop/api-out"

  @egress-to-cloud-metadata
  Scenario: Excepting the metadata address keeps it out of reach
    Given the manifest "rules/src/main/resources/kubeward/rules/network/egress-to-cloud-metadata/allowed-excepted.yaml"
    When it is scanned
    Then rule egress-to-cloud-metadata reports nothing

  @ingress-from-all-namespaces-on-node-port
  Scenario: A hostPort opened to every namespace
    Given the manifest "rules/src/main/resources/kubeward/rules/network/ingress-from-all-namespaces-on-node-port/disallowed-host-port.yaml"
    When it is scanned
    Then rule ingress-from-all-namespaces-on-node-port reports field "spec.ingress[0]" of "NetworkPolicy/edge/ingress-controller"
    And rule ingress-from-all-namespaces-on-node-port says "also binds on its node as hostPort 80"

  @network-policy-invalid
  Scenario: An invalid policy is reported at each invalid field
    Given the manifest "rules/src/main/resources/kubeward/rules/network/network-policy-invalid/disallowed-end-port.yaml"
    When it is scanned
    Then rule network-policy-invalid reports field "spec.egress[0].ports[0].endPort" of "NetworkPolicy/shop/api-out"
    And rule network-policy-invalid reports field "spec.egress[0].to[0]" of "NetworkPolicy/shop/api-out"
    And rule network-policy-invalid says "endPort 8000 is below port 9000"
