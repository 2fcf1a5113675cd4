package io.kubeward.benchmarks;

import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.kubeward.engine.Finding;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.RuleCatalog;
import io.kubeward.engine.RuleDescriptor;
import io.kubeward.engine.model.ContainerPort;
import io.kubeward.engine.model.ContainerView;
import io.kubeward.engine.model.FieldValue;
import io.kubeward.engine.model.Subject;
import io.kubeward.engine.model.VolumeView;
import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Pod Security Standards restricted profile at the latest policy version, written as plain
 * Java over the same fact model, for the benchmark only: the yardstick the rules are measured
 * against. It reports the same findings as the DRL rules: rule ids, paths and messages (the
 * benchmark checks that before timing).
 */
final class PlainRestrictedChecks {

    private static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "image", "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
            "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat");
    private static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t",
            "container_engine_t");

    private final RuleCatalog catalog;

    PlainRestrictedChecks(RuleCatalog catalog) {
        this.catalog = catalog;
    }

    List<Finding> evaluate(InputObject object) {
        List<Finding> out = new ArrayList<>();
        Workload w = Workload.of(object.object(), object.source()).orElse(null);
        if (w == null) {
            return out;
        }
        String pod = w.getKind() + " `" + w.getName() + "`";
        PodSecurityContext psc = w.getPodSecurityContext();
        // hostNamespaces
        if (w.isHostNetwork()) {
            hostNamespace(out, w, pod, "hostNetwork");
        }
        if (w.isHostPID()) {
            hostNamespace(out, w, pod, "hostPID");
        }
        if (w.isHostIPC()) {
            hostNamespace(out, w, pod, "hostIPC");
        }
        // windowsHostProcess, pod level
        if (psc.getWindowsOptions() != null && Boolean.TRUE.equals(psc.getWindowsOptions().getHostProcess())) {
            report(out, "pss-windows-host-process", w, w.path("securityContext.windowsOptions.hostProcess"), "windowsHostProcess: " + pod
                    + " sets securityContext.windowsOptions.hostProcess=true; restricted forbids hostProcess containers, remove it or set it to false");
        }
        // appArmorProfile, pod level and annotations
        AppArmorProfile podAppArmor = psc.getAppArmorProfile();
        if (podAppArmor != null && !isAllowedProfileType(podAppArmor.getType())) {
            report(out, "pss-apparmor-profile", w, w.path("securityContext.appArmorProfile.type"), "appArmorProfile: " + pod
                    + " sets securityContext.appArmorProfile.type=" + podAppArmor.getType() + APPARMOR_TYPES);
        }
        for (FieldValue a : w.getPodAnnotationFields(APPARMOR_ANNOTATION)) {
            String v = a.getValue();
            if (!v.isEmpty() && !v.equals("runtime/default") && !v.startsWith("localhost/")) {
                report(out, "pss-apparmor-profile", w, a.getPath(), "appArmorProfile: annotation " + a.getName() + "=" + v
                        + "; restricted forbids AppArmor profiles other than runtime/default and localhost/<profile> (forbidden AppArmor profile)");
            }
        }
        // seLinuxOptions, pod level
        if (psc.getSeLinuxOptions() != null) {
            seLinux(out, w, psc.getSeLinuxOptions(), pod, w.path("securityContext.seLinuxOptions."));
        }
        // sysctls
        for (FieldValue s : w.getSysctls()) {
            if (!SAFE_SYSCTLS.contains(s.getName())) {
                report(out, "pss-sysctls", w, s.getPath(), "sysctls: " + pod + " sets sysctl " + s.getName() + "=" + s.getValue()
                        + "; restricted (policy v1.37) forbids it (forbidden sysctl), only the safe set is allowed");
            }
        }
        // restrictedVolumes
        for (VolumeView v : w.getVolumeSources()) {
            if (!RESTRICTED_VOLUMES.contains(v.getType())) {
                report(out, "pss-restricted-volumes", w, v.getTypePath(), "restrictedVolumes: volume `" + v.getName() + "` uses " + v.getType()
                        + (v.isHostPath() ? " (" + v.getHostPathPath() + " of the node)" : "")
                        + "; restricted volume types are configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret");
            }
        }
        boolean userNamespaced = w.isUserNamespaced();
        boolean windows = w.isWindows();
        // runAsNonRoot, runAsUser, seccomp: pod level
        if (Boolean.FALSE.equals(psc.getRunAsNonRoot()) && !userNamespaced) {
            report(out, "pss-run-as-non-root", w, w.path("securityContext.runAsNonRoot"), "runAsNonRoot: " + pod
                    + " sets securityContext.runAsNonRoot=false; restricted requires true");
        }
        if (psc.getRunAsUser() != null && psc.getRunAsUser() == 0 && !userNamespaced) {
            report(out, "pss-run-as-user", w, w.path("securityContext.runAsUser"), "runAsUser: " + pod
                    + " sets securityContext.runAsUser=0; restricted requires a non-zero user");
        }
        SeccompProfile podSeccomp = psc.getSeccompProfile();
        boolean podSeccompValid = podSeccomp != null && isAllowedProfileType(podSeccomp.getType());
        if (podSeccomp != null && !podSeccompValid && !windows) {
            report(out, "pss-seccomp-profile-restricted", w, w.path("securityContext.seccompProfile.type"), "seccompProfile_restricted: " + pod
                    + " sets securityContext.seccompProfile.type=" + podSeccomp.getType() + "; restricted requires RuntimeDefault or Localhost");
        }
        for (ContainerView c : w.getContainers()) {
            container(out, c, psc, userNamespaced, windows, podSeccompValid);
        }
        return out;
    }

    private static final String APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";
    private static final String APPARMOR_TYPES =
            "; restricted forbids AppArmor profile types other than RuntimeDefault and Localhost (forbidden AppArmor profile)";

    private void hostNamespace(List<Finding> out, Workload w, String pod, String field) {
        report(out, "pss-host-namespaces", w, w.path(field), "hostNamespaces: " + pod + " sets " + w.path(field)
                + "=true; restricted forbids sharing the host namespaces, remove it or set it to false");
    }

    private void container(List<Finding> out, ContainerView c, PodSecurityContext psc, boolean userNamespaced,
                           boolean windows, boolean podSeccompValid) {
        SecurityContext sc = c.getSecurityContext();
        String name = "container `" + c.getName() + "`";
        if (c.isPrivileged()) {
            report(out, "pss-privileged", c, c.path("securityContext.privileged"), "privileged: " + name
                    + " sets securityContext.privileged=true; restricted forbids privileged containers, remove it or set it to false");
        }
        if (sc.getWindowsOptions() != null && Boolean.TRUE.equals(sc.getWindowsOptions().getHostProcess())) {
            report(out, "pss-windows-host-process", c, c.path("securityContext.windowsOptions.hostProcess"), "windowsHostProcess: " + name
                    + " sets securityContext.windowsOptions.hostProcess=true; restricted forbids hostProcess containers, remove it or set it to false");
        }
        for (ContainerPort p : c.getPorts()) {
            if (p.getHostPort() != 0) {
                report(out, "pss-host-ports", p, p.path("hostPort"), "hostPorts: " + name + " sets ports[" + p.getIndex() + "].hostPort="
                        + p.getHostPort() + "; restricted forbids hostPort, remove it and use a Service");
            }
        }
        for (FieldValue h : c.getProbeAndLifecycleHosts()) {
            report(out, "pss-host-probes-and-lifecycle", c, h.getPath(), "hostProbesAndHostLifecycle: " + name + " sets " + h.getName()
                    + ".host=\"" + h.getValue() + "\"; restricted forbids a probe or lifecycle host, remove the host field");
        }
        if (sc.getAppArmorProfile() != null && !isAllowedProfileType(sc.getAppArmorProfile().getType())) {
            report(out, "pss-apparmor-profile", c, c.path("securityContext.appArmorProfile.type"), "appArmorProfile: " + name
                    + " sets securityContext.appArmorProfile.type=" + sc.getAppArmorProfile().getType() + APPARMOR_TYPES);
        }
        if (sc.getSeLinuxOptions() != null) {
            seLinux(out, c, sc.getSeLinuxOptions(), name, c.path("securityContext.seLinuxOptions."));
        }
        if (!windows && !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            report(out, "pss-allow-privilege-escalation", c, c.path("securityContext.allowPrivilegeEscalation"), "allowPrivilegeEscalation: "
                    + name + " " + (sc.getAllowPrivilegeEscalation() == null
                            ? "does not set securityContext.allowPrivilegeEscalation (the default is true)"
                            : "sets securityContext.allowPrivilegeEscalation=true")
                    + "; restricted requires false");
        }
        if (!userNamespaced) {
            if (Boolean.FALSE.equals(sc.getRunAsNonRoot())) {
                report(out, "pss-run-as-non-root", c, c.path("securityContext.runAsNonRoot"), "runAsNonRoot: " + name
                        + " sets securityContext.runAsNonRoot=false; restricted requires true");
            } else if (sc.getRunAsNonRoot() == null && !Boolean.TRUE.equals(psc.getRunAsNonRoot())) {
                report(out, "pss-run-as-non-root", c, c.path("securityContext.runAsNonRoot"), "runAsNonRoot: " + name
                        + " does not set securityContext.runAsNonRoot and the pod does not set it to true; "
                        + "restricted requires runAsNonRoot=true on the pod or on every container");
            }
            if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
                report(out, "pss-run-as-user", c, c.path("securityContext.runAsUser"), "runAsUser: " + name
                        + " sets securityContext.runAsUser=0; restricted requires a non-zero user");
            }
        }
        if (!windows) {
            SeccompProfile own = sc.getSeccompProfile();
            if (own != null && !isAllowedProfileType(own.getType())) {
                report(out, "pss-seccomp-profile-restricted", c, c.path("securityContext.seccompProfile.type"), "seccompProfile_restricted: "
                        + name + " sets securityContext.seccompProfile.type=" + own.getType() + "; restricted requires RuntimeDefault or Localhost");
            } else if (own == null && !podSeccompValid) {
                report(out, "pss-seccomp-profile-restricted", c, c.path("securityContext.seccompProfile.type"), "seccompProfile_restricted: "
                        + name + " does not set securityContext.seccompProfile and the pod sets no RuntimeDefault or Localhost profile; "
                        + "restricted requires seccompProfile.type RuntimeDefault or Localhost on the pod or on every container");
            }
            if (!c.isDropsAllCapabilities()) {
                report(out, "pss-capabilities-restricted", c, c.path("securityContext.capabilities.drop"), "capabilities_restricted: " + name + " "
                        + (c.getCapabilitiesDrop().isEmpty() ? "does not drop any capability" : "drops only " + String.join(", ", c.getCapabilitiesDrop()))
                        + "; restricted requires securityContext.capabilities.drop=[ALL] (unrestricted capabilities)");
            }
            for (FieldValue cap : c.getCapabilitiesAddEntries()) {
                if (!cap.getValue().equals("NET_BIND_SERVICE")) {
                    report(out, "pss-capabilities-restricted", c, cap.getPath(), "capabilities_restricted: " + name + " adds capability \""
                            + cap.getValue() + "\"; restricted allows adding only NET_BIND_SERVICE (unrestricted capabilities)");
                }
            }
        }
        if (c.getProcMount() != null && !c.getProcMount().equals("Default")) {
            report(out, "pss-proc-mount-restricted", c, c.path("securityContext.procMount"), "procMount_restricted: " + name
                    + " sets securityContext.procMount=" + c.getProcMount() + "; restricted requires procMount Default, even with hostUsers: false");
        }
    }

    private void seLinux(List<Finding> out, Subject subject, SELinuxOptions o, String name, String pathPrefix) {
        boolean badType = !SELINUX_TYPES.contains(o.getType() == null ? "" : o.getType());
        boolean badUser = o.getUser() != null && !o.getUser().isEmpty();
        boolean badRole = o.getRole() != null && !o.getRole().isEmpty();
        if (badType || badUser || badRole) {
            StringBuilder problem = new StringBuilder();
            if (badType) {
                problem.append("type=").append(o.getType());
            }
            if (badUser) {
                problem.append(problem.length() == 0 ? "" : ", ").append("user=").append(o.getUser());
            }
            if (badRole) {
                problem.append(problem.length() == 0 ? "" : ", ").append("role=").append(o.getRole());
            }
            String field = badType ? "type" : badUser ? "user" : "role";
            report(out, "pss-selinux-options", subject, pathPrefix + field, "seLinuxOptions: " + name + " sets securityContext.seLinuxOptions "
                    + problem + "; restricted forbids a custom SELinux user or role and types other than container_t, container_init_t,"
                    + " container_kvm_t, container_engine_t");
        }
    }

    private static boolean isAllowedProfileType(String type) {
        return "RuntimeDefault".equals(type) || "Localhost".equals(type);
    }

    private void report(List<Finding> out, String rule, Subject subject, String path, String message) {
        RuleDescriptor d = catalog.get(rule);
        out.add(new Finding(d.id(), d.severity(), d.title(), message, subject.getResource(), subject.getContainerName(), path,
                subject.getSource() == null ? null : subject.getSource().locate(path)));
    }
}
