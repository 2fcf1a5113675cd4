Feature: What each PodSecurityPolicy field admits, refuses and sets
  Each field of a PodSecurityPolicy is checked by a rule of the pod-security-policy pack, on the pod
  as the policy defaults it. Here every authenticated user may use the policy, so the decision shows
  what the field does.

  @psp-host-paths
  Scenario Outline: allowedHostPaths limits hostPath volumes to prefixes, some read-only
    Given the pod security policy "host-paths", otherwise permissive, with:
      """
      allowedHostPaths:
      - pathPrefix: /var/log
        readOnly: true
      - pathPrefix: /data
      """
    And every authenticated user may use the pod security policy "host-paths"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: reader
      spec:
        containers:
        - name: main
          image: alpine
          volumeMounts:
          - {name: host, mountPath: /host, readOnly: <readOnly>}
        volumes:
        - name: host
          hostPath: {path: <path>}
      """
    Then the pod is <verdict>

    Examples:
      | path          | readOnly | verdict                                   |
      | /var/log/pods | true     | admitted by policy "host-paths" unchanged |
      | /data/cache   | false    | admitted by policy "host-paths" unchanged |
      | /var/log      | false    | denied                                    |
      | /var/logs     | true     | denied                                    |
      | /etc          | true     | denied                                    |

  @psp-host-paths
  Scenario: A host path allowed only read-only, mounted writable, is refused at the mount
    Given the pod security policy "host-paths", otherwise permissive, with:
      """
      allowedHostPaths:
      - pathPrefix: /var/log
        readOnly: true
      """
    And every authenticated user may use the pod security policy "host-paths"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: writer
      spec:
        containers:
        - name: main
          image: alpine
          volumeMounts:
          - {name: logs, mountPath: /logs}
        volumes:
        - name: logs
          hostPath: {path: /var/log}
      """
    Then the pod is denied
    And policy "host-paths" refuses it with rule psp-host-paths at field "spec.containers[0].volumeMounts[0].readOnly"

  @psp-flex-volumes
  Scenario: allowedFlexVolumes lists the FlexVolume drivers
    Given the pod security policy "flex", otherwise permissive, with:
      """
      volumes: [flexVolume, configMap]
      allowedFlexVolumes:
      - driver: example.com/lvm
      """
    And every authenticated user may use the pod security policy "flex"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: db
      spec:
        containers:
        - {name: db, image: postgres}
        volumes:
        - name: data
          flexVolume: {driver: example.com/cifs}
      """
    Then the pod is denied
    And policy "flex" refuses it with rule psp-flex-volumes at field "spec.volumes[0].flexVolume.driver"

  @psp-csi-drivers
  Scenario: allowedCSIDrivers lists the inline CSI drivers
    Given the pod security policy "csi", otherwise permissive, with:
      """
      volumes: [csi]
      allowedCSIDrivers:
      - name: secrets-store.csi.k8s.io
      """
    And every authenticated user may use the pod security policy "csi"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
        - {name: app, image: nginx}
        volumes:
        - name: secrets
          csi: {driver: secrets-store.csi.k8s.io}
      """
    Then the pod is admitted by policy "csi" unchanged
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
        - {name: app, image: nginx}
        volumes:
        - name: scratch
          csi: {driver: inline.storage.example.com}
      """
    Then the pod is denied
    And policy "csi" refuses it with rule psp-csi-drivers at field "spec.volumes[0].csi.driver"

  @psp-run-as-group
  Scenario Outline: runAsGroup MustRunAs sets the first group and refuses others
    Given the pod security policy "groups", otherwise permissive, with:
      """
      runAsGroup:
        rule: MustRunAs
        ranges:
        - {min: 1000, max: 1999}
      """
    And every authenticated user may use the pod security policy "groups"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        securityContext: <podContext>
        containers:
        - {name: app, image: nginx}
      """
    Then the pod is <verdict>

    Examples:
      | podContext         | verdict                                 |
      | {runAsGroup: 1500} | admitted by policy "groups" unchanged   |
      | {}                 | admitted by policy "groups"             |
      | {runAsGroup: 0}    | denied                                  |

  @psp-run-as-group
  Scenario: The group a pod sets on itself is refused at the pod's field
    Given the pod security policy "groups", otherwise permissive, with:
      """
      runAsGroup:
        rule: MayRunAs
        ranges:
        - {min: 1000, max: 1999}
      """
    And every authenticated user may use the pod security policy "groups"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        securityContext: {runAsGroup: 0}
        containers:
        - {name: app, image: nginx}
      """
    Then the pod is denied
    And policy "groups" refuses it with rule psp-run-as-group at field "spec.securityContext.runAsGroup"

  @psp-supplemental-groups
  Scenario: supplementalGroups MustRunAs gives a pod without groups the first one, and refuses others
    Given the pod security policy "groups", otherwise permissive, with:
      """
      supplementalGroups:
        rule: MustRunAs
        ranges:
        - {min: 1000, max: 2000}
      """
    And every authenticated user may use the pod security policy "groups"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
        - {name: app, image: nginx}
      """
    Then the pod is admitted by policy "groups"
    And the admitted pod has "spec.securityContext.supplementalGroups" set to "[1000]"
    And the JSON patch has an add of "/spec/securityContext"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: wheel
      spec:
        securityContext: {supplementalGroups: [1500, 10]}
        containers:
        - {name: app, image: nginx}
      """
    Then the pod is denied
    And policy "groups" refuses it with rule psp-supplemental-groups at field "spec.securityContext.supplementalGroups"
    And policy "groups" says "adds supplemental group 10"

  @psp-fs-group
  Scenario Outline: fsGroup MayRunAs allows none, or one in the ranges
    Given the pod security policy "fs", otherwise permissive, with:
      """
      fsGroup:
        rule: MayRunAs
        ranges:
        - {min: 2000, max: 3000}
      """
    And every authenticated user may use the pod security policy "fs"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        securityContext: <podContext>
        containers:
        - {name: app, image: nginx}
      """
    Then the pod is <verdict>

    Examples:
      | podContext      | verdict                            |
      | {}              | admitted by policy "fs" unchanged  |
      | {fsGroup: 2500} | admitted by policy "fs" unchanged  |
      | {fsGroup: 0}    | denied                             |

  @psp-selinux
  Scenario: seLinux MustRunAs sets its options on containers that set none, and refuses other options
    Given the pod security policy "selinux", otherwise permissive, with:
      """
      seLinux:
        rule: MustRunAs
        seLinuxOptions:
          type: container_t
          level: "s0:c123,c456"
      """
    And every authenticated user may use the pod security policy "selinux"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
        - {name: app, image: nginx}
      """
    Then the pod is admitted by policy "selinux"
    And the admitted pod has "spec.containers[0].securityContext.seLinuxOptions.type" set to "container_t"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: unconfined
      spec:
        containers:
        - name: app
          image: nginx
          securityContext:
            seLinuxOptions: {type: spc_t, level: "s0:c456,c123"}
      """
    Then the pod is denied
    And policy "selinux" refuses it with rule psp-selinux at field "spec.containers[0].securityContext.seLinuxOptions"
    And policy "selinux" says "type is spc_t, must be container_t"

  @psp-read-only-root-filesystem
  Scenario: readOnlyRootFilesystem makes containers read-only, and refuses one that insists on writing
    Given the pod security policy "read-only", otherwise permissive, with:
      """
      readOnlyRootFilesystem: true
      """
    And every authenticated user may use the pod security policy "read-only"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
        - {name: app, image: nginx}
      """
    Then the pod is admitted by policy "read-only"
    And the admitted pod has "spec.containers[0].securityContext.readOnlyRootFilesystem" set to "true"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: writer
      spec:
        containers:
        - name: app
          image: nginx
          securityContext: {readOnlyRootFilesystem: false}
      """
    Then the pod is denied
    And policy "read-only" refuses it with rule psp-read-only-root-filesystem at field "spec.containers[0].securityContext.readOnlyRootFilesystem"

  @psp-privilege-escalation
  Scenario: allowPrivilegeEscalation false turns escalation off, and refuses a container that asks for it
    Given the pod security policy "no-escalation", otherwise permissive, with:
      """
      allowPrivilegeEscalation: false
      """
    And every authenticated user may use the pod security policy "no-escalation"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
        - {name: app, image: nginx}
      """
    Then the pod is admitted by policy "no-escalation"
    And the admitted pod has "spec.containers[0].securityContext.allowPrivilegeEscalation" set to "false"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: sudo
      spec:
        containers:
        - name: app
          image: nginx
          securityContext: {allowPrivilegeEscalation: true}
      """
    Then the pod is denied
    And policy "no-escalation" refuses it with rule psp-privilege-escalation at field "spec.containers[0].securityContext.allowPrivilegeEscalation"

  @psp-sysctls
  Scenario Outline: Safe sysctls unless forbidden; unsafe ones only when allowed
    Given the pod security policy "sysctls", otherwise permissive, with:
      """
      allowedUnsafeSysctls: ["net.core.*"]
      forbiddenSysctls: [kernel.shm_rmid_forced]
      """
    And every authenticated user may use the pod security policy "sysctls"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: tuned
      spec:
        securityContext:
          sysctls:
          - {name: <sysctl>, value: "1"}
        containers:
        - {name: app, image: nginx}
      """
    Then the pod is <verdict>

    Examples:
      | sysctl                  | verdict                                |
      | net.ipv4.tcp_syncookies | admitted by policy "sysctls" unchanged |
      | net.core.somaxconn      | admitted by policy "sysctls" unchanged |
      | kernel.shm_rmid_forced  | denied                                 |
      | net.ipv4.ip_forward     | denied                                 |

  @psp-proc-mount
  Scenario: Only the Default proc mount unless allowedProcMountTypes lists Unmasked
    Given the pod security policy "proc", otherwise permissive, with:
      """
      allowedProcMountTypes: [Default]
      """
    And every authenticated user may use the pod security policy "proc"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: nested
      spec:
        containers:
        - name: app
          image: nginx
          securityContext: {procMount: Unmasked}
      """
    Then the pod is denied
    And policy "proc" refuses it with rule psp-proc-mount at field "spec.containers[0].securityContext.procMount"

  @psp-runtime-class
  Scenario: runtimeClass sets the default RuntimeClass and refuses others
    Given the pod security policy "sandboxed", otherwise permissive, with:
      """
      runtimeClass:
        allowedRuntimeClassNames: [gvisor]
        defaultRuntimeClassName: gvisor
      """
    And every authenticated user may use the pod security policy "sandboxed"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: app
      spec:
        containers:
        - {name: app, image: nginx}
      """
    Then the pod is admitted by policy "sandboxed"
    And the admitted pod has "spec.runtimeClassName" set to "gvisor"
    And the JSON patch has an add of "/spec/runtimeClassName"
    When user alice creates the pod:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: plain-runc
      spec:
        runtimeClassName: runc
        containers:
        - {name: app, image: nginx}
      """
    Then the pod is denied
    And policy "sandboxed" refuses it with rule psp-runtime-class at field "spec.runtimeClassName"
