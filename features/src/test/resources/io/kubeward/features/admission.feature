Feature: The admission webhook decides before a pod exists
  The same rules decide in the API server's path. Each namespace chooses with the Pod Security
  Admission labels what denies (enforce), what only warns (warn) and what is only recorded (audit);
  namespaces without labels get the configuration's defaults. Workloads are checked on their pod
  template, an update that leaves the pod spec as it was is not checked again, and a debug container
  added to a running pod cannot slip past the rules.

  Background:
    Given namespace "shop" has the label "pod-security.kubernetes.io/enforce=restricted"
    And namespace "staging" has the label "pod-security.kubernetes.io/warn=restricted"
    And namespace "lab" has the label "pod-security.kubernetes.io/audit=baseline"

  @pss-privileged
  Scenario: A privileged container is denied where restricted is enforced, naming the rule and the field
    When the webhook reviews the creation of:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: tools
        namespace: shop
      spec:
        securityContext:
          runAsNonRoot: true
          seccompProfile: {type: RuntimeDefault}
        containers:
          - name: tools
            image: busybox
            securityContext:
              privileged: true
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
      """
    Then the webhook denies it
    And the denial names rule pss-privileged at field "spec.containers[0].securityContext.privileged"
    And the denial says "Pod shop/tools is forbidden by kubeward (enforce: restricted:latest"

  @pss-run-as-non-root
  Scenario: A pod that meets the restricted level is allowed without a warning
    When the webhook reviews the creation of:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        namespace: shop
      spec:
        securityContext:
          runAsNonRoot: true
          seccompProfile: {type: RuntimeDefault}
        containers:
          - name: web
            image: nginx
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
      """
    Then the webhook allows it
    And the webhook gives no warning

  @pss-run-as-non-root @pss-allow-privilege-escalation
  Scenario: Where restricted only warns, the pod is allowed and the user is told what to fix
    When the webhook reviews the creation of:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        namespace: staging
      spec:
        containers:
          - name: web
            image: nginx
      """
    Then the webhook allows it
    And the webhook warns with rule pss-run-as-non-root at field "spec.containers[0].securityContext.runAsNonRoot"
    And the webhook warns with rule pss-allow-privilege-escalation at field "spec.containers[0].securityContext.allowPrivilegeEscalation"

  @pss-capabilities-baseline
  Scenario: Where baseline is only audited, a pod adding a capability is allowed and recorded
    When the webhook reviews the creation of:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: sniffer
        namespace: lab
      spec:
        containers:
          - name: sniffer
            image: tcpdump
            securityContext:
              capabilities:
                add: [NET_ADMIN]
      """
    Then the webhook allows it
    And the webhook records rule pss-capabilities-baseline for audit

  @pss-capabilities-baseline
  Scenario: A dry run gets the same answer and nothing is recorded
    When the webhook reviews a dry run creating:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: sniffer
        namespace: lab
      spec:
        containers:
          - name: sniffer
            image: tcpdump
            securityContext:
              capabilities:
                add: [NET_ADMIN]
      """
    Then the webhook allows it
    And nothing is recorded for audit

  @host-pid
  Scenario: kubeward's own rules of high severity are enforced in every namespace, labelled or not
    When the webhook reviews the creation of:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: debug
        namespace: lab
      spec:
        hostPID: true
        containers:
          - name: debug
            image: busybox
      """
    Then the webhook denies it
    And the denial names rule host-pid at field "spec.hostPID"
    And the denial says "(enforce: privileged; general rules at high or above)"

  @pss-capabilities-baseline
  Scenario: A namespace without labels gets the configuration's defaults
    Given namespace "payments" has no labels
    And the admission configuration:
      """
      apiVersion: kubeward.io/v1alpha1
      kind: AdmissionConfiguration
      defaults:
        enforce: baseline
      """
    When the webhook reviews the creation of:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: sniffer
        namespace: payments
      spec:
        containers:
          - name: sniffer
            image: tcpdump
            securityContext:
              capabilities:
                add: [NET_ADMIN]
      """
    Then the webhook denies it
    And the denial names rule pss-capabilities-baseline at field "spec.containers[0].securityContext.capabilities.add[0]"

  @pss-privileged
  Scenario: A namespace the configuration exempts is not checked
    Given namespace "ops" has the label "pod-security.kubernetes.io/enforce=restricted"
    And the admission configuration:
      """
      apiVersion: kubeward.io/v1alpha1
      kind: AdmissionConfiguration
      exemptions:
        namespaces: [ops]
      """
    When the webhook reviews the creation of:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: agent
        namespace: ops
      spec:
        containers:
          - name: agent
            image: agent
            securityContext:
              privileged: true
      """
    Then the webhook exempts it because "namespace"

  @pss-privileged @host-network
  Scenario: A Deployment is checked on its pod template, before any pod is created
    When the webhook reviews the creation of:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: proxy
        namespace: shop
      spec:
        selector:
          matchLabels: {app: proxy}
        template:
          metadata:
            labels: {app: proxy}
          spec:
            hostNetwork: true
            containers:
              - name: proxy
                image: envoy
                securityContext:
                  privileged: true
      """
    Then the webhook denies it
    And the denial names rule pss-privileged at field "spec.template.spec.containers[0].securityContext.privileged"
    And the denial names rule host-network at field "spec.template.spec.hostNetwork"

  @pss-privileged
  Scenario: Scaling a Deployment that predates the labels is not checked again; changing its pods is
    Given the object already exists:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: legacy
        namespace: shop
      spec:
        replicas: 1
        selector:
          matchLabels: {app: legacy}
        template:
          metadata:
            labels: {app: legacy}
          spec:
            containers:
              - name: legacy
                image: legacy:1
                securityContext:
                  privileged: true
      """
    When the webhook reviews its update to:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: legacy
        namespace: shop
      spec:
        replicas: 3
        selector:
          matchLabels: {app: legacy}
        template:
          metadata:
            labels: {app: legacy}
          spec:
            containers:
              - name: legacy
                image: legacy:1
                securityContext:
                  privileged: true
      """
    Then the webhook allows it
    When the webhook reviews its update to:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: legacy
        namespace: shop
      spec:
        replicas: 1
        selector:
          matchLabels: {app: legacy}
        template:
          metadata:
            labels: {app: legacy}
          spec:
            containers:
              - name: legacy
                image: legacy:2
                securityContext:
                  privileged: true
      """
    Then the webhook denies it
    And the denial names rule pss-privileged at field "spec.template.spec.containers[0].securityContext.privileged"

  @pss-privileged
  Scenario: A privileged debug container added to a running pod is denied
    Given the object already exists:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        namespace: shop
      spec:
        securityContext:
          runAsNonRoot: true
          seccompProfile: {type: RuntimeDefault}
        containers:
          - name: web
            image: nginx
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
      """
    When the webhook reviews its ephemeral containers update to:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        namespace: shop
      spec:
        securityContext:
          runAsNonRoot: true
          seccompProfile: {type: RuntimeDefault}
        containers:
          - name: web
            image: nginx
            securityContext:
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
        ephemeralContainers:
          - name: debugger
            image: busybox
            targetContainerName: web
            securityContext:
              privileged: true
              allowPrivilegeEscalation: false
              capabilities: {drop: [ALL]}
      """
    Then the webhook denies it
    And the denial names rule pss-privileged at field "spec.ephemeralContainers[0].securityContext.privileged"

  Scenario: Deleting a pod is always allowed
    Given the object already exists:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: tools
        namespace: shop
      spec:
        containers:
          - name: tools
            image: busybox
            securityContext:
              privileged: true
      """
    When the webhook reviews its deletion
    Then the webhook allows it
    And the webhook gives no warning
