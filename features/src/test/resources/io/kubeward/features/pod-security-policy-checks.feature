Feature: Every PodSecurityPolicy check reports the field a policy refuses
  A scan that holds PodSecurityPolicies reports each pod that no policy in the input admits, at the
  field each policy refuses (the pod's creator is not known to a scan, so every policy counts). The
  admission of one request by a given user, with defaulting and a JSON patch, is specified in
  pod-security-policy.feature.

  @psp-csi-drivers
  Scenario: psp-csi-drivers reports disallowed-driver.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-csi-drivers/disallowed-driver.yaml"
    When it is scanned
    Then rule psp-csi-drivers reports field "spec.volumes[0].csi.driver" of "Pod/app"

  @psp-csi-drivers
  Scenario: psp-csi-drivers admits allowed-driver.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-csi-drivers/allowed-driver.yaml"
    When it is scanned
    Then rule psp-csi-drivers reports nothing

  @psp-flex-volumes
  Scenario: psp-flex-volumes reports disallowed-driver.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-flex-volumes/disallowed-driver.yaml"
    When it is scanned
    Then rule psp-flex-volumes reports field "spec.volumes[0].flexVolume.driver" of "Pod/db"

  @psp-flex-volumes
  Scenario: psp-flex-volumes admits allowed-driver.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-flex-volumes/allowed-driver.yaml"
    When it is scanned
    Then rule psp-flex-volumes reports nothing

  @psp-fs-group
  Scenario: psp-fs-group reports disallowed-outside.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-fs-group/disallowed-outside.yaml"
    When it is scanned
    Then rule psp-fs-group reports field "spec.securityContext.fsGroup" of "Pod/app"

  @psp-fs-group
  Scenario: psp-fs-group admits allowed-defaulted.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-fs-group/allowed-defaulted.yaml"
    When it is scanned
    Then rule psp-fs-group reports nothing

  @psp-host-paths
  Scenario: psp-host-paths reports disallowed-etc.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-host-paths/disallowed-etc.yaml"
    When it is scanned
    Then rule psp-host-paths reports field "spec.volumes[0].hostPath.path" of "Pod/snoop"

  @psp-host-paths
  Scenario: psp-host-paths admits allowed-read-only-log.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-host-paths/allowed-read-only-log.yaml"
    When it is scanned
    Then rule psp-host-paths reports nothing

  @psp-privilege-escalation
  Scenario: psp-privilege-escalation reports disallowed-escalation.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-privilege-escalation/disallowed-escalation.yaml"
    When it is scanned
    Then rule psp-privilege-escalation reports field "spec.containers[0].securityContext.allowPrivilegeEscalation" of "Pod/app"

  @psp-privilege-escalation
  Scenario: psp-privilege-escalation admits allowed-defaulted.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-privilege-escalation/allowed-defaulted.yaml"
    When it is scanned
    Then rule psp-privilege-escalation reports nothing

  @psp-proc-mount
  Scenario: psp-proc-mount reports disallowed-unmasked.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-proc-mount/disallowed-unmasked.yaml"
    When it is scanned
    Then rule psp-proc-mount reports field "spec.containers[0].securityContext.procMount" of "Pod/app"

  @psp-proc-mount
  Scenario: psp-proc-mount admits allowed-unmasked.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-proc-mount/allowed-unmasked.yaml"
    When it is scanned
    Then rule psp-proc-mount reports nothing

  @psp-read-only-root-filesystem
  Scenario: psp-read-only-root-filesystem reports disallowed-writable.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-read-only-root-filesystem/disallowed-writable.yaml"
    When it is scanned
    Then rule psp-read-only-root-filesystem reports field "spec.containers[0].securityContext.readOnlyRootFilesystem" of "Pod/app"

  @psp-read-only-root-filesystem
  Scenario: psp-read-only-root-filesystem admits allowed-defaulted.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-read-only-root-filesystem/allowed-defaulted.yaml"
    When it is scanned
    Then rule psp-read-only-root-filesystem reports nothing

  @psp-run-as-group
  Scenario: psp-run-as-group reports disallowed-root-group.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-run-as-group/disallowed-root-group.yaml"
    When it is scanned
    Then rule psp-run-as-group reports field "spec.containers[0].securityContext.runAsGroup" of "Pod/app"

  @psp-run-as-group
  Scenario: psp-run-as-group admits allowed-in-range.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-run-as-group/allowed-in-range.yaml"
    When it is scanned
    Then rule psp-run-as-group reports nothing

  @psp-runtime-class
  Scenario: psp-runtime-class reports disallowed-runc.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-runtime-class/disallowed-runc.yaml"
    When it is scanned
    Then rule psp-runtime-class reports field "spec.runtimeClassName" of "Pod/app"

  @psp-runtime-class
  Scenario: psp-runtime-class admits allowed-defaulted.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-runtime-class/allowed-defaulted.yaml"
    When it is scanned
    Then rule psp-runtime-class reports nothing

  @psp-selinux
  Scenario: psp-selinux reports disallowed-spc-t.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-selinux/disallowed-spc-t.yaml"
    When it is scanned
    Then rule psp-selinux reports field "spec.containers[0].securityContext.seLinuxOptions" of "Pod/app"

  @psp-selinux
  Scenario: psp-selinux admits allowed-defaulted.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-selinux/allowed-defaulted.yaml"
    When it is scanned
    Then rule psp-selinux reports nothing

  @psp-supplemental-groups
  Scenario: psp-supplemental-groups reports disallowed-outside.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-supplemental-groups/disallowed-outside.yaml"
    When it is scanned
    Then rule psp-supplemental-groups reports field "spec.securityContext.supplementalGroups" of "Pod/app"

  @psp-supplemental-groups
  Scenario: psp-supplemental-groups admits allowed-unset.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-supplemental-groups/allowed-unset.yaml"
    When it is scanned
    Then rule psp-supplemental-groups reports nothing

  @psp-sysctls
  Scenario: psp-sysctls reports disallowed-sysctls.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-sysctls/disallowed-sysctls.yaml"
    When it is scanned
    Then rule psp-sysctls reports field "spec.securityContext.sysctls[0].name" of "Pod/app"

  @psp-sysctls
  Scenario: psp-sysctls admits allowed-sysctls.yaml
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security-policy/psp-sysctls/allowed-sysctls.yaml"
    When it is scanned
    Then rule psp-sysctls reports nothing
