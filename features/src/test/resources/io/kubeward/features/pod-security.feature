Feature: Security contexts under the Pod Security Standards
  A pod's and its containers' security contexts decide what the processes may do on the node: which
  user they run as, which capabilities they keep, whether they see the node's devices. The Pod
  Security Standards name the settings a namespace may allow at the baseline and restricted levels,
  per policy version; kubeward checks each control at the field that breaks it. Where the standards
  say nothing (a read-only root file system, the groups a pod runs with) kubeward has opt-in rules.

  @pss-run-as-user @pss-run-as-non-root
  Scenario: A container that runs as user 405 (guest) rather than root
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-as-user-guest
      spec:
        containers:
          - name: main
            image: alpine
            command: ["/bin/sleep", "999999"]
            securityContext:
              runAsUser: 405
      """
    When it is scanned with the restricted profile
    Then rule pss-run-as-user does not report "Pod/pod-as-user-guest"
    But rule pss-run-as-non-root reports field "spec.containers[0].securityContext.runAsNonRoot" of "Pod/pod-as-user-guest"
    And the Pod Security controls reported are "runAsNonRoot, allowPrivilegeEscalation, capabilities_restricted, seccompProfile_restricted"

  @pss-run-as-user
  Scenario: A container set to run as root is refused from policy v1.23
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-as-root
      spec:
        securityContext:
          runAsNonRoot: true
        containers:
          - name: main
            image: alpine
            securityContext:
              runAsUser: 0
      """
    When it is scanned with the restricted profile
    Then rule pss-run-as-user reports field "spec.containers[0].securityContext.runAsUser" of "Pod/pod-as-root"
    And rule pss-run-as-user says "container `main` sets securityContext.runAsUser=0; restricted requires a non-zero user"
    Given the Pod Security profile "restricted:v1.22"
    When it is scanned
    Then rule pss-run-as-user reports nothing

  @pss-run-as-non-root
  Scenario: runAsNonRoot with an image that runs as root
    The manifest says what it needs: the kubelet then refuses to start a container whose image runs as
    root ("container has runAsNonRoot and image will run as root"). The manifest itself complies.
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-run-as-non-root
      spec:
        containers:
          - name: main
            image: alpine
            command: ["/bin/sleep", "999999"]
            securityContext:
              runAsNonRoot: true
      """
    When it is scanned with the restricted profile
    Then rule pss-run-as-non-root does not report "Pod/pod-run-as-non-root"

  @pss-run-as-non-root
  Scenario: A sidecar that overrides the pod's runAsNonRoot
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
      spec:
        securityContext:
          runAsNonRoot: true
        containers:
          - name: web
            image: nginxinc/nginx-unprivileged
          - name: sidecar
            image: envoyproxy/envoy
            securityContext:
              runAsNonRoot: false
      """
    When it is scanned with the restricted profile
    Then rule pss-run-as-non-root reports field "spec.containers[1].securityContext.runAsNonRoot" of "Pod/web"
    And rule pss-run-as-non-root says "container `sidecar` sets securityContext.runAsNonRoot=false; restricted requires true"
    And 1 finding of rule pss-run-as-non-root is reported

  @pss-privileged
  Scenario: A privileged container can see the node's devices
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-privileged
      spec:
        containers:
          - name: main
            image: alpine
            command: ["/bin/sleep", "999999"]
            securityContext:
              privileged: true
      """
    When it is scanned with the baseline profile
    Then rule pss-privileged reports field "spec.containers[0].securityContext.privileged" of "Pod/pod-privileged"
    And rule pss-privileged reports "Pod/pod-privileged" with severity critical
    And the Pod Security controls reported are "privileged"
    When it is scanned with the privileged profile
    Then no Pod Security control is reported

  @pss-capabilities-baseline
  Scenario: Adding SYS_TIME lets a container change the node's clock
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-add-settime-capability
      spec:
        containers:
          - name: main
            image: alpine
            command: ["/bin/sleep", "999999"]
            securityContext:
              capabilities:
                add:
                  - SYS_TIME
      """
    When it is scanned with the baseline profile
    Then rule pss-capabilities-baseline reports field "spec.containers[0].securityContext.capabilities.add[0]" of "Pod/pod-add-settime-capability"
    And rule pss-capabilities-baseline says "adds capability \"SYS_TIME\""

  @pss-capabilities-restricted @pss-capabilities-baseline
  Scenario: Dropping CHOWN is enough for baseline, not for restricted
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-drop-chown-capability
      spec:
        containers:
          - name: main
            image: alpine
            command: ["/bin/sleep", "999999"]
            securityContext:
              capabilities:
                drop:
                  - CHOWN
      """
    When it is scanned with the baseline profile
    Then no Pod Security control is reported
    When it is scanned with the restricted profile
    Then rule pss-capabilities-restricted reports field "spec.containers[0].securityContext.capabilities.drop" of "Pod/pod-drop-chown-capability"
    And rule pss-capabilities-restricted says "drops only CHOWN; restricted requires securityContext.capabilities.drop=[ALL]"

  @read-only-root-filesystem
  Scenario: A read-only root file system with a writable volume mounted
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-with-readonly-filesystem
      spec:
        containers:
          - name: main
            image: alpine
            command: ["/bin/sleep", "999999"]
            securityContext:
              readOnlyRootFilesystem: true
            volumeMounts:
              - name: my-volume
                mountPath: /volume
                readOnly: false
        volumes:
          - name: my-volume
            emptyDir: {}
      """
    And the opt-in rule "read-only-root-filesystem" is enabled
    When it is scanned
    Then rule read-only-root-filesystem reports nothing

  @read-only-root-filesystem
  Scenario: A writable root file system is reported only when the opt-in rule is enabled
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-with-writable-filesystem
      spec:
        containers:
          - name: main
            image: alpine
            command: ["/bin/sleep", "999999"]
      """
    When it is scanned
    Then rule read-only-root-filesystem reports nothing
    Given the opt-in rule "read-only-root-filesystem" is enabled
    When it is scanned
    Then rule read-only-root-filesystem reports field "spec.containers[0].securityContext.readOnlyRootFilesystem" of "Pod/pod-with-writable-filesystem"
    And rule read-only-root-filesystem reports "Pod/pod-with-writable-filesystem" with severity low

  @non-root-groups
  Scenario: Pod-level fsGroup and supplementalGroups for files on a shared volume
    Two containers run as different users and share files through the pod's groups: files created on
    the volume belong to fsGroup 555, and both processes are also members of groups 666 and 777.
    The Pod Security Standards say nothing of groups; the opt-in rule non-root-groups wants no group 0.
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-with-shared-volume-fsgroup
      spec:
        securityContext:
          fsGroup: 555
          supplementalGroups: [666, 777]
        containers:
          - name: first
            image: alpine
            command: ["/bin/sleep", "999999"]
            securityContext:
              runAsUser: 1111
            volumeMounts:
              - name: shared-volume
                mountPath: /volume
                readOnly: false
          - name: second
            image: alpine
            command: ["/bin/sleep", "999999"]
            securityContext:
              runAsUser: 2222
            volumeMounts:
              - name: shared-volume
                mountPath: /volume
                readOnly: false
        volumes:
          - name: shared-volume
            emptyDir: {}
      """
    And the opt-in rules "non-root-groups, read-only-root-filesystem" are enabled
    When it is scanned with the baseline profile
    Then rule non-root-groups reports nothing
    And no Pod Security control is reported
    And 2 findings of rule read-only-root-filesystem are reported

  @non-root-groups
  Scenario: Files on a shared volume owned by root's group
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-with-root-fsgroup
      spec:
        securityContext:
          fsGroup: 0
          supplementalGroups: [666, 0]
        containers:
          - name: main
            image: alpine
            securityContext:
              runAsUser: 1111
      """
    And the opt-in rule "non-root-groups" is enabled
    When it is scanned
    Then rule non-root-groups reports field "spec.securityContext.fsGroup" of "Pod/pod-with-root-fsgroup"
    And rule non-root-groups reports field "spec.securityContext.supplementalGroups[1]" of "Pod/pod-with-root-fsgroup"

  @pss-sysctls
  Scenario Outline: The safe sysctls grow with the policy version
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: keepalive
      spec:
        securityContext:
          sysctls:
            - name: net.ipv4.tcp_keepalive_time
              value: "600"
        containers:
          - name: main
            image: alpine
      """
    And the Pod Security profile "baseline:<version>"
    When it is scanned
    Then the Pod Security controls reported are "<controls>"

    Examples:
      | version | controls |
      | v1.28   | sysctls  |
      | v1.29   |          |
      | latest  |          |
