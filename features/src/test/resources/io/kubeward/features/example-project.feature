Feature: The example project of a team that specifies its own manifests
  examples/bdd-project is the layout a team copies: its pom takes kubeward-features as a test
  dependency and its feature files use kubeward's steps on its own manifests. These are its
  scenarios, run here against its manifests so the example stays true.

  @example-project
  Scenario: Nothing high or critical in what the example team deploys
    Given the manifests in "examples/bdd-project/deploy"
    When it is scanned with the restricted profile
    Then no finding of severity high or above is reported

  @example-project
  Scenario: Only the storefront reaches the database
    Given the manifests in "examples/bdd-project/deploy"
    Then "shop/storefront" can reach "shop/db" on "5432/TCP"
    And "shop/batch" cannot reach "shop/db" on "5432/TCP"

  @example-project
  Scenario: The storefront is admitted where restricted is enforced
    Given namespace "shop" has the label "pod-security.kubernetes.io/enforce=restricted"
    When the webhook reviews the creation of "Deployment/shop/storefront" from "examples/bdd-project/deploy"
    Then the webhook allows it
    And the webhook gives no warning
