Feature: Isolating the pod network with NetworkPolicies
  By default every pod can reach every other pod. NetworkPolicies select pods and say which peers
  may reach them (ingress) and which peers they may reach (egress). kubeward computes the
  connections that really remain, says which policy allows each, and flags weak isolation.

  Background:
    Given the manifest "examples/network/chapter-network-policies.yaml"

  @netpol-reachability
  Scenario: A default-deny policy isolates every pod of its namespace
    Then "other/intruder" cannot reach "shop/shopping-cart" on "80/TCP"
    And the connection from "other/intruder" to "shop/database" on "5432/TCP" is denied by ingress isolation
    And "manning/storefront" can reach "other/intruder" on "8080/TCP"

  @missing-default-deny-ingress
  Scenario: A namespace without a default-deny policy is reported
    Given the manifest:
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: open}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: app, namespace: open, labels: {app: app}}
      spec:
        containers: [{name: app, image: registry.example.com/app:1}]
      """
    When it is scanned
    Then rule missing-default-deny-ingress reports "Namespace/open"
    And rule missing-default-deny-ingress does not report "Namespace/shop"

  @netpol-reachability
  Scenario: Only the webserver pods may reach the database, on port 5432
    Then "shop/webserver" can reach "shop/database" on "5432/TCP"
    And the connection from "shop/webserver" to "shop/database" on "5432/TCP" is allowed by policy "shop/postgres-netpolicy"
    And "shop/webserver" cannot reach "shop/database" on "5433/TCP"
    And "other/intruder" cannot reach "shop/database" on "5432/TCP"
    And "manning/storefront" cannot reach "shop/database" on "5432/TCP"

  @netpol-reachability
  Scenario: Pods of the namespaces of tenant manning may reach the shopping cart on port 80
    Then "manning/storefront" can reach "shop/shopping-cart" on "80/TCP"
    And the connection from "manning/storefront" to "shop/shopping-cart" on "80/TCP" is allowed by policy "shop/shoppingcart-netpolicy"
    And "manning/storefront" cannot reach "shop/shopping-cart" on "443/TCP"
    And "other/intruder" cannot reach "shop/shopping-cart" on "80/TCP"

  @netpol-reachability
  Scenario: Clients in 192.168.1.0/24 may reach the shopping cart, others may not
    Then "192.168.1.7" can reach "shop/shopping-cart" on "8080/TCP"
    And the connection from "192.168.1.7" to "shop/shopping-cart" on "80/TCP" is allowed by policy "shop/ipblock-netpolicy"
    And "192.168.2.1" cannot reach "shop/shopping-cart" on "80/TCP"

  @netpol-reachability
  Scenario: The webserver's egress is limited to the database pods
    Then "shop/webserver" can reach "shop/database" on "5432/TCP"
    And the connection from "shop/webserver" to "shop/shopping-cart" on "80/TCP" is denied by egress isolation
    And "shop/webserver" cannot reach "8.8.8.8" on "53/UDP"

  @egress-to-cloud-metadata
  Scenario: Egress open to the cloud metadata address is reported
    Given the manifest:
      """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: egress-anywhere, namespace: shop}
      spec:
        podSelector: {matchLabels: {app: webserver}}
        policyTypes: [Egress]
        egress:
          - to:
              - ipBlock: {cidr: 0.0.0.0/0}
      """
    When it is scanned
    Then rule egress-to-cloud-metadata reports "NetworkPolicy/shop/egress-anywhere"
    And "shop/webserver" can reach "169.254.169.254" on "80/TCP"
