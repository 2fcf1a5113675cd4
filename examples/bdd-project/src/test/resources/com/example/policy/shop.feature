Feature: The shop's manifests meet our security bar

  Scenario: Nothing high or critical in what we deploy
    Given the manifests in "deploy"
    When it is scanned with the restricted profile
    Then no finding of severity high or above is reported

  Scenario: Only the storefront reaches the database
    Given the manifests in "deploy"
    Then "shop/storefront" can reach "shop/db" on "5432/TCP"
    And "shop/batch" cannot reach "shop/db" on "5432/TCP"

  Scenario: The storefront is admitted where restricted is enforced
    Given namespace "shop" has the label "pod-security.kubernetes.io/enforce=restricted"
    When the webhook reviews the creation of "Deployment/shop/storefront" from "deploy"
    Then the webhook allows it
    And the webhook gives no warning
