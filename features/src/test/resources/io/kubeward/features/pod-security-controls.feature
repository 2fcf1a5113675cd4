Feature: Every Pod Security Standards control, at its level and version
  Each control of the Pod Security Standards is a rule that reports the exact field at fault, only
  when a profile (level and policy version) is chosen, as the namespace labels of Pod Security
  Admission choose it. The upstream fixtures check every control at every version in the
  conformance test; these scenarios show one violation of each control.

  @pss-allow-privilege-escalation
  Scenario: pss-allow-privilege-escalation reports disallowed-pod.yaml under restricted latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-allow-privilege-escalation/disallowed-pod.yaml"
    And the Pod Security profile "restricted:latest"
    When it is scanned
    Then rule pss-allow-privilege-escalation reports field "spec.containers[0].securityContext.allowPrivilegeEscalation" of "Pod/app"

  @pss-apparmor-profile
  Scenario: pss-apparmor-profile reports disallowed-annotation.yaml under baseline latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-apparmor-profile/disallowed-annotation.yaml"
    And the Pod Security profile "baseline:latest"
    When it is scanned
    Then rule pss-apparmor-profile reports field "metadata.annotations.container.apparmor.security.beta.kubernetes.io/hello" of "Pod/hello-unconfined"

  @pss-capabilities-baseline
  Scenario: pss-capabilities-baseline reports disallowed-mixed.yaml under baseline latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-capabilities-baseline/disallowed-mixed.yaml"
    And the Pod Security profile "baseline:latest"
    When it is scanned
    Then rule pss-capabilities-baseline reports field "spec.template.spec.containers[0].securityContext.capabilities.add[1]" of "Deployment/vpn"

  @pss-capabilities-restricted
  Scenario: pss-capabilities-restricted reports disallowed-add.yaml under restricted latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-capabilities-restricted/disallowed-add.yaml"
    And the Pod Security profile "restricted:latest"
    When it is scanned
    Then rule pss-capabilities-restricted reports field "spec.containers[0].securityContext.capabilities.add[1]" of "Pod/web"

  @pss-host-namespaces
  Scenario: pss-host-namespaces reports disallowed-daemonset.yaml under baseline latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-host-namespaces/disallowed-daemonset.yaml"
    And the Pod Security profile "baseline:latest"
    When it is scanned
    Then rule pss-host-namespaces reports field "spec.template.spec.hostPID" of "DaemonSet/process-exporter"

  @pss-host-path-volumes
  Scenario: pss-host-path-volumes reports disallowed-daemonset.yaml under baseline latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-host-path-volumes/disallowed-daemonset.yaml"
    And the Pod Security profile "baseline:latest"
    When it is scanned
    Then rule pss-host-path-volumes reports field "spec.template.spec.volumes[1].hostPath" of "DaemonSet/fluentd"

  @pss-host-ports
  Scenario: pss-host-ports reports disallowed-pod.yaml under baseline latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-host-ports/disallowed-pod.yaml"
    And the Pod Security profile "baseline:latest"
    When it is scanned
    Then rule pss-host-ports reports field "spec.containers[0].ports[0].hostPort" of "Pod/kubia-hostport"

  @pss-host-probes-and-lifecycle
  Scenario: pss-host-probes-and-lifecycle reports disallowed-pod.yaml under baseline latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-host-probes-and-lifecycle/disallowed-pod.yaml"
    And the Pod Security profile "baseline:latest"
    When it is scanned
    Then rule pss-host-probes-and-lifecycle reports field "spec.containers[0].livenessProbe.httpGet.host" of "Pod/web"

  @pss-privileged
  Scenario: pss-privileged reports disallowed-init-container.yaml under baseline latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-privileged/disallowed-init-container.yaml"
    And the Pod Security profile "baseline:latest"
    When it is scanned
    Then rule pss-privileged reports field "spec.template.spec.initContainers[0].securityContext.privileged" of "StatefulSet/elasticsearch"

  @pss-proc-mount
  Scenario: pss-proc-mount reports disallowed-pod.yaml under baseline latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-proc-mount/disallowed-pod.yaml"
    And the Pod Security profile "baseline:latest"
    When it is scanned
    Then rule pss-proc-mount reports field "spec.containers[0].securityContext.procMount" of "Pod/nested-containers"

  @pss-proc-mount-restricted
  Scenario: pss-proc-mount-restricted reports disallowed-user-namespace.yaml under restricted latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-proc-mount-restricted/disallowed-user-namespace.yaml"
    And the Pod Security profile "restricted:latest"
    When it is scanned
    Then rule pss-proc-mount-restricted reports field "spec.containers[0].securityContext.procMount" of "Pod/nested-containers"

  @pss-restricted-volumes
  Scenario: pss-restricted-volumes reports disallowed-git-repo.yaml under restricted latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-restricted-volumes/disallowed-git-repo.yaml"
    And the Pod Security profile "restricted:latest"
    When it is scanned
    Then rule pss-restricted-volumes reports field "spec.template.spec.volumes[0].gitRepo" of "Deployment/gitrepo-volume-pod"

  @pss-run-as-non-root
  Scenario: pss-run-as-non-root reports disallowed-pod.yaml under restricted latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-run-as-non-root/disallowed-pod.yaml"
    And the Pod Security profile "restricted:latest"
    When it is scanned
    Then rule pss-run-as-non-root reports field "spec.containers[1].securityContext.runAsNonRoot" of "Pod/app"

  @pss-run-as-user
  Scenario: pss-run-as-user reports disallowed-pod.yaml under restricted latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-run-as-user/disallowed-pod.yaml"
    And the Pod Security profile "restricted:latest"
    When it is scanned
    Then rule pss-run-as-user reports field "spec.securityContext.runAsUser" of "Pod/root-pod"

  @pss-seccomp-profile-baseline
  Scenario: pss-seccomp-profile-baseline reports disallowed-annotation-before-v1.19.yaml under baseline v1.18
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-seccomp-profile-baseline/disallowed-annotation-before-v1.19.yaml"
    And the Pod Security profile "baseline:v1.18"
    When it is scanned
    Then rule pss-seccomp-profile-baseline reports field "metadata.annotations.seccomp.security.alpha.kubernetes.io/pod" of "Pod/unconfined-pod"

  @pss-seccomp-profile-restricted
  Scenario: pss-seccomp-profile-restricted reports disallowed-pod-unconfined.yaml under restricted latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-seccomp-profile-restricted/disallowed-pod-unconfined.yaml"
    And the Pod Security profile "restricted:latest"
    When it is scanned
    Then rule pss-seccomp-profile-restricted reports field "spec.securityContext.seccompProfile.type" of "Pod/app"

  @pss-selinux-options
  Scenario: pss-selinux-options reports disallowed-engine-type-before-v1.31.yaml under baseline v1.30
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-selinux-options/disallowed-engine-type-before-v1.31.yaml"
    And the Pod Security profile "baseline:v1.30"
    When it is scanned
    Then rule pss-selinux-options reports field "spec.containers[0].securityContext.seLinuxOptions.type" of "Pod/buildah"

  @pss-sysctls
  Scenario: pss-sysctls reports disallowed-newer-sysctl.yaml under baseline v1.28
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-sysctls/disallowed-newer-sysctl.yaml"
    And the Pod Security profile "baseline:v1.28"
    When it is scanned
    Then rule pss-sysctls reports field "spec.securityContext.sysctls[0].name" of "Pod/keepalive"

  @pss-windows-host-process
  Scenario: pss-windows-host-process reports disallowed-pod.yaml under baseline latest
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-windows-host-process/disallowed-pod.yaml"
    And the Pod Security profile "baseline:latest"
    When it is scanned
    Then rule pss-windows-host-process reports field "spec.securityContext.windowsOptions.hostProcess" of "Pod/windows-node-agent"

  @pss-privileged
  Scenario: Without a profile, the Pod Security controls stay silent
    Given the manifest "rules/src/main/resources/kubeward/rules/pod-security/pss-privileged/disallowed-pod.yaml"
    When it is scanned
    Then rule pss-privileged reports nothing
