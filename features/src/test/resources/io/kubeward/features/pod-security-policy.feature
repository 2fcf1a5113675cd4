Feature: PodSecurityPolicy-style admission
  A PodSecurityPolicy says what pods may do; RBAC says who may use which policy. When a user creates
  a pod, the policies the user (or the pod's service account) may use are tried in name order: one
  that admits the pod as it is wins, otherwise the first that admits it after setting its defaults.
  The decision names the admitting policy and the defaults it sets, or why each policy refused.

  @psp-host-namespaces
  Scenario: The default policy keeps pods out of the node's process and IPC namespaces
    Given the pod security policy:
      """
      apiVersion: policy/v1beta1
      kind: PodSecurityPolicy
      metadata:
        name: default
      spec:
        hostIPC: false
        hostPID: false
        hostNetwork: false
        privileged: false
        runAsUser: {rule: RunAsAny}
        fsGroup: {rule: RunAsAny}
        supplementalGroups: {rule: RunAsAny}
        seLinux: {rule: RunAsAny}
        volumes: ['*']
      """
    And every authenticated user may use the pod security policy "default"
    When user alice creates the pod in "examples/chapter/pod-with-host-pid-and-ipc.yaml"
    Then the pod is denied
    And policy "default" refuses it with rule psp-host-namespaces at field "spec.hostPID"
    And policy "default" refuses it with rule psp-host-namespaces at field "spec.hostIPC"
    And policy "default" says "the pod uses the node's process ID namespace (hostPID)"

  @psp-privileged
  Scenario: The default policy admits no privileged container
    Given the pod security policies and bindings in "examples/pod-security-policy/policies.yaml"
    When user alice creates the pod in "examples/pod-security-policy/pods/pod-privileged.yaml"
    Then the pod is denied
    And policy "default" refuses it with rule psp-privileged at field "spec.containers[0].securityContext.privileged"

  @psp-privileged
  Scenario: A privileged policy that only bob may use admits bob's privileged pod, not alice's
    Given the pod security policies and bindings in "examples/pod-security-policy/policies.yaml"
    When user bob creates the pod in "examples/pod-security-policy/pods/pod-privileged.yaml"
    Then the pod is admitted by policy "privileged" unchanged
    And policy "default" refuses it with rule psp-privileged
    When user alice creates the pod in "examples/pod-security-policy/pods/pod-privileged.yaml"
    Then the pod is denied
    And policy "default" refuses it with rule psp-privileged

  @psp-host-ports
  Scenario Outline: Host ports are allowed only within the policy's ranges
    Given the pod security policy:
      """
      apiVersion: policy/v1beta1
      kind: PodSecurityPolicy
      metadata:
        name: default
      spec:
        hostPorts:
        - min: 10000
          max: 11000
        - min: 13000
          max: 14000
        runAsUser: {rule: RunAsAny}
        fsGroup: {rule: RunAsAny}
        supplementalGroups: {rule: RunAsAny}
        seLinux: {rule: RunAsAny}
        volumes: ['*']
      """
    And every authenticated user may use the pod security policy "default"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: kubia-hostport
      spec:
        containers:
        - image: luksa/kubia
          name: kubia
          ports:
          - containerPort: 8080
            hostPort: <hostPort>
      """
    Then the pod is <verdict>

    Examples:
      | hostPort | verdict                                |
      | 9000     | denied                                 |
      | 10500    | admitted by policy "default" unchanged |
      | 12000    | denied                                 |
      | 13000    | admitted by policy "default" unchanged |

  @psp-host-ports
  Scenario: The chapter's kubia-hostport pod on port 9000 is refused with the port and the ranges
    Given the pod security policies and bindings in "examples/pod-security-policy/policies.yaml"
    When user alice creates the pod in "examples/chapter/kubia-hostport.yaml"
    Then the pod is denied
    And policy "default" refuses it with rule psp-host-ports at field "spec.containers[0].ports[0].hostPort"
    And policy "default" says "binds host port 9000, outside the ranges the policy allows (10000-11000, 13000-14000)"

  @psp-run-as-user
  Scenario: runAsUser MustRunAs 2-10 refuses a pod that asks for user 405
    Given the pod security policy:
      """
      apiVersion: policy/v1beta1
      kind: PodSecurityPolicy
      metadata:
        name: default
      spec:
        runAsUser:
          rule: MustRunAs
          ranges:
          - min: 2
            max: 10
        fsGroup: {rule: RunAsAny}
        supplementalGroups: {rule: RunAsAny}
        seLinux: {rule: RunAsAny}
        volumes: ['*']
      """
    And every authenticated user may use the pod security policy "default"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-as-user-guest
      spec:
        containers:
        - name: main
          image: alpine
          securityContext:
            runAsUser: 405
      """
    Then the pod is denied
    And policy "default" refuses it with rule psp-run-as-user at field "spec.containers[0].securityContext.runAsUser"
    And policy "default" says "runs as user 405, and the policy allows only users 2-10"

  @psp-run-as-user
  Scenario: runAsUser MustRunAs 2-10 gives a pod that sets no user the user 2, with a JSON patch
    Given the pod security policy:
      """
      apiVersion: policy/v1beta1
      kind: PodSecurityPolicy
      metadata:
        name: default
      spec:
        runAsUser:
          rule: MustRunAs
          ranges:
          - min: 2
            max: 10
        fsGroup: {rule: RunAsAny}
        supplementalGroups: {rule: RunAsAny}
        seLinux: {rule: RunAsAny}
        volumes: ['*']
      """
    And every authenticated user may use the pod security policy "default"
    When user alice creates the pod:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: kubia
      spec:
        selector:
          matchLabels: {app: kubia}
        template:
          metadata:
            labels: {app: kubia}
          spec:
            containers:
            - name: kubia
              image: luksa/kubia
      """
    Then the pod is admitted by policy "default"
    And the admitted pod has "spec.template.spec.containers[0].securityContext.runAsUser" set to "2"
    And the JSON patch has an add of "/spec/template/spec/containers/0/securityContext"

  @psp-run-as-user
  Scenario: A policy that admits the pod unchanged wins over an earlier one that would default it
    Given the pod security policies and bindings in "examples/pod-security-policy/policies.yaml"
    When user bob creates the pod in "examples/pod-security-policy/pods/pod-with-defaults.yaml"
    Then the pod is admitted by policy "privileged" unchanged
    When user alice creates the pod in "examples/pod-security-policy/pods/pod-with-defaults.yaml"
    Then the pod is admitted by policy "default"
    And the admitted pod has "spec.template.spec.containers[0].securityContext.runAsUser" set to "2"

  @psp-capabilities
  Scenario Outline: Allowed, default-added and required-drop capabilities
    Given the pod security policy:
      """
      apiVersion: policy/v1beta1
      kind: PodSecurityPolicy
      metadata:
        name: default
      spec:
        allowedCapabilities:
        - SYS_TIME
        defaultAddCapabilities:
        - CHOWN
        requiredDropCapabilities:
        - SYS_ADMIN
        - SYS_MODULE
        runAsUser: {rule: RunAsAny}
        fsGroup: {rule: RunAsAny}
        supplementalGroups: {rule: RunAsAny}
        seLinux: {rule: RunAsAny}
        volumes: ['*']
      """
    And every authenticated user may use the pod security policy "default"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-add-<capability>-capability
      spec:
        containers:
        - name: main
          image: alpine
          securityContext:
            capabilities:
              add:
              - <capability>
      """
    Then the pod is <verdict>

    Examples:
      | capability | verdict                      |
      | SYS_TIME   | admitted by policy "default" |
      | CHOWN      | admitted by policy "default" |
      | SYS_ADMIN  | denied                       |
      | NET_ADMIN  | denied                       |

  @psp-capabilities
  Scenario: The policy adds CHOWN and drops SYS_ADMIN and SYS_MODULE; adding SYS_ADMIN is refused
    Given the pod security policies and bindings in "examples/pod-security-policy/policies.yaml"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: set-time
      spec:
        containers:
        - name: main
          image: alpine
          securityContext:
            capabilities:
              add: [SYS_TIME]
      """
    Then the pod is admitted by policy "default"
    And the admitted pod has "spec.containers[0].securityContext.capabilities.add" set to "[\"CHOWN\",\"SYS_TIME\"]"
    And the admitted pod has "spec.containers[0].securityContext.capabilities.drop" set to "[\"SYS_ADMIN\",\"SYS_MODULE\"]"
    And the JSON patch has an add of "/spec/containers/0/securityContext/capabilities/drop"
    When user alice creates the pod in "examples/pod-security-policy/pods/pod-add-sysadmin-capability.yaml"
    Then the pod is denied
    And policy "default" refuses it with rule psp-capabilities at field "spec.containers[0].securityContext.capabilities.add"
    And policy "default" says "adds capability SYS_ADMIN"

  @psp-volumes
  Scenario Outline: Only the volume types the policy lists
    Given the pod security policy:
      """
      apiVersion: policy/v1beta1
      kind: PodSecurityPolicy
      metadata:
        name: default
      spec:
        runAsUser: {rule: RunAsAny}
        fsGroup: {rule: RunAsAny}
        supplementalGroups: {rule: RunAsAny}
        seLinux: {rule: RunAsAny}
        volumes:
        - emptyDir
        - configMap
        - secret
        - downwardAPI
        - persistentVolumeClaim
      """
    And every authenticated user may use the pod security policy "default"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: with-volumes
      spec:
        containers:
        - name: main
          image: alpine
        volumes:
        - name: config
          configMap: {name: app}
        - name: other
          <volume>
      """
    Then the pod is <verdict>

    Examples:
      | volume                              | verdict                                |
      | emptyDir: {}                        | admitted by policy "default" unchanged |
      | persistentVolumeClaim: {claimName: data} | admitted by policy "default" unchanged |
      | hostPath: {path: /var/log}          | denied                                 |
      | nfs: {server: nas, path: /export}   | denied                                 |

  @psp-volumes
  Scenario: The refusal names the volume and the types allowed
    Given the pod security policies and bindings in "examples/pod-security-policy/policies.yaml"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: log-reader
      spec:
        containers:
        - name: main
          image: alpine
        volumes:
        - name: logs
          hostPath: {path: /var/log}
      """
    Then the pod is denied
    And policy "default" refuses it with rule psp-volumes at field "spec.volumes[0]"
    And policy "default" says "volume logs is a hostPath volume, and the policy allows only: emptyDir, configMap, secret, downwardAPI, persistentVolumeClaim"

  @psp-run-as-user
  Scenario: Pods a controller creates get the policies of their service account
    Given the pod security policy:
      """
      apiVersion: policy/v1beta1
      kind: PodSecurityPolicy
      metadata:
        name: builders
      spec:
        runAsUser:
          rule: MustRunAs
          ranges:
          - min: 1000
            max: 1999
        fsGroup: {rule: RunAsAny}
        supplementalGroups: {rule: RunAsAny}
        seLinux: {rule: RunAsAny}
        volumes: ['*']
      """
    And service account builder in namespace ci may use the pod security policy "builders"
    When user system:serviceaccount:kube-system:replicaset-controller creates the pod:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: build
        namespace: ci
      spec:
        selector:
          matchLabels: {app: build}
        template:
          metadata:
            labels: {app: build}
          spec:
            serviceAccountName: builder
            containers:
            - name: build
              image: golang
      """
    Then the pod is admitted by policy "builders"
    And the admitted pod has "spec.template.spec.containers[0].securityContext.runAsUser" set to "1000"
    When user system:serviceaccount:kube-system:replicaset-controller creates the pod:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: build
        namespace: ci
      spec:
        selector:
          matchLabels: {app: build}
        template:
          metadata:
            labels: {app: build}
          spec:
            containers:
            - name: build
              image: golang
      """
    Then the pod is denied
    And no policy is available to the request

  @psp-privileged
  Scenario: A plain scan reports the pods that no policy in the input admits, whoever creates them
    Given the manifest:
      """
      apiVersion: policy/v1beta1
      kind: PodSecurityPolicy
      metadata:
        name: default
      spec:
        privileged: false
        runAsUser: {rule: RunAsAny}
        fsGroup: {rule: RunAsAny}
        supplementalGroups: {rule: RunAsAny}
        seLinux: {rule: RunAsAny}
        volumes: ['*']
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: pod-privileged
      spec:
        containers:
        - name: main
          image: alpine
          securityContext:
            privileged: true
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: plain
      spec:
        containers:
        - name: main
          image: alpine
      """
    When it is scanned
    Then rule psp-privileged reports field "spec.containers[0].securityContext.privileged" of "Pod/pod-privileged"
    And rule psp-privileged says "no PodSecurityPolicy in the input admits the pod"
    And rule psp-privileged does not report "Pod/plain"

  @psp-invalid-policy
  Scenario: A scan reports an invalid policy at the field at fault
    Given the manifest:
      """
      apiVersion: policy/v1beta1
      kind: PodSecurityPolicy
      metadata:
        name: broken
      spec:
        hostPorts:
        - min: 10000
          max: 11000
        - min: 10500
          max: 12000
        runAsUser:
          rule: MustRunAsRoot
        fsGroup: {rule: RunAsAny}
        supplementalGroups: {rule: RunAsAny}
        seLinux: {rule: RunAsAny}
      """
    When it is scanned
    Then rule psp-invalid-policy reports field "spec.hostPorts[1]" of "PodSecurityPolicy/broken"
    And rule psp-invalid-policy reports field "spec.runAsUser.rule" of "PodSecurityPolicy/broken"
    And rule psp-invalid-policy says "unknown rule \"MustRunAsRoot\""
