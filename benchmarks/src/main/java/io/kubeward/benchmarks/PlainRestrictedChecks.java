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
 * against. It reports the same rule ids at the same paths as the DRL rules (the benchmark checks
 * that before timing), with messages built the same way.
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
        String name = w.getKind() + " `" + w.getName() + "`";
        PodSecurityContext psc = w.getPodSecurityContext();
        // hostNamespaces
        if (w.isHostNetwork()) {
            report(out, "pss-host-namespaces", w, w.path("hostNetwork"), "hostNamespaces: " + name + " sets " + w.path("hostNetwork") + "=true; restricted forbids sharing the host namespaces");
        }
        if (w.isHostPID()) {
            report(out, "pss-host-namespaces", w, w.path("hostPID"), "hostNamespaces: " + name + " sets " + w.path("hostPID") + "=true; restricted forbids sharing the host namespaces");
        }
        if (w.isHostIPC()) {
            report(out, "pss-host-namespaces", w, w.path("hostIPC"), "hostNamespaces: " + name + " sets " + w.path("hostIPC") + "=true; restricted forbids sharing the host namespaces");
        }
        // windowsHostProcess, pod level
        if (psc.getWindowsOptions() != null && Boolean.TRUE.equals(psc.getWindowsOptions().getHostProcess())) {
            report(out, "pss-windows-host-process", w, w.path("securityContext.windowsOptions.hostProcess"), "windowsHostProcess: " + name + " sets hostProcess=true");
        }
        // appArmorProfile, pod level and annotations
        AppArmorProfile podAppArmor = psc.getAppArmorProfile();
        if (podAppArmor != null && !isAllowedProfileType(podAppArmor.getType())) {
            report(out, "pss-apparmor-profile", w, w.path("securityContext.appArmorProfile.type"), "appArmorProfile: " + name + " sets type=" + podAppArmor.getType());
        }
        if (!w.getPodAnnotations().isEmpty()) {
            for (FieldValue a : w.getPodAnnotationFields()) {
                String v = a.getValue();
                if (a.getName().startsWith("container.apparmor.security.beta.kubernetes.io/") && !v.isEmpty()
                        && !v.equals("runtime/default") && !v.startsWith("localhost/")) {
                    report(out, "pss-apparmor-profile", w, a.getPath(), "appArmorProfile: annotation " + a.getName() + "=" + v);
                }
            }
        }
        // seLinuxOptions, pod level
        if (psc.getSeLinuxOptions() != null) {
            seLinux(out, w, psc.getSeLinuxOptions(), name, w.path("securityContext.seLinuxOptions."));
        }
        // sysctls
        if (psc.getSysctls() != null && !psc.getSysctls().isEmpty()) {
            for (FieldValue s : w.getSysctls()) {
                if (!SAFE_SYSCTLS.contains(s.getName())) {
                    report(out, "pss-sysctls", w, s.getPath(), "sysctls: " + name + " sets sysctl " + s.getName() + "=" + s.getValue() + " (forbidden sysctl)");
                }
            }
        }
        // restrictedVolumes
        if (!w.getVolumes().isEmpty()) {
            for (VolumeView v : w.getVolumeSources()) {
                if (!RESTRICTED_VOLUMES.contains(v.getType())) {
                    report(out, "pss-restricted-volumes", w, v.getTypePath(), "restrictedVolumes: volume `" + v.getName() + "` uses " + v.getType());
                }
            }
        }
        boolean userNamespaced = w.isUserNamespaced();
        boolean windows = w.isWindows();
        // runAsNonRoot, runAsUser, seccomp: pod level
        if (Boolean.FALSE.equals(psc.getRunAsNonRoot()) && !userNamespaced) {
            report(out, "pss-run-as-non-root", w, w.path("securityContext.runAsNonRoot"), "runAsNonRoot: " + name + " sets runAsNonRoot=false; restricted requires true");
        }
        if (psc.getRunAsUser() != null && psc.getRunAsUser() == 0 && !userNamespaced) {
            report(out, "pss-run-as-user", w, w.path("securityContext.runAsUser"), "runAsUser: " + name + " sets runAsUser=0");
        }
        SeccompProfile podSeccomp = psc.getSeccompProfile();
        boolean podSeccompValid = podSeccomp != null && isAllowedProfileType(podSeccomp.getType());
        if (podSeccomp != null && !podSeccompValid && !windows) {
            report(out, "pss-seccomp-profile-restricted", w, w.path("securityContext.seccompProfile.type"), "seccompProfile_restricted: " + name + " sets type=" + podSeccomp.getType());
        }
        for (ContainerView c : w.getContainers()) {
            container(out, c, psc, userNamespaced, windows, podSeccompValid);
        }
        return out;
    }

    private void container(List<Finding> out, ContainerView c, PodSecurityContext psc, boolean userNamespaced,
                           boolean windows, boolean podSeccompValid) {
        SecurityContext sc = c.getSecurityContext();
        String name = "container `" + c.getName() + "`";
        if (c.isPrivileged()) {
            report(out, "pss-privileged", c, c.path("securityContext.privileged"), "privileged: " + name + " sets privileged=true");
        }
        if (sc.getWindowsOptions() != null && Boolean.TRUE.equals(sc.getWindowsOptions().getHostProcess())) {
            report(out, "pss-windows-host-process", c, c.path("securityContext.windowsOptions.hostProcess"), "windowsHostProcess: " + name + " sets hostProcess=true");
        }
        for (ContainerPort p : c.getPorts()) {
            if (p.getHostPort() != 0) {
                report(out, "pss-host-ports", p, p.path("hostPort"), "hostPorts: " + name + " sets hostPort=" + p.getHostPort());
            }
        }
        for (FieldValue h : c.getProbeAndLifecycleHosts()) {
            report(out, "pss-host-probes-and-lifecycle", c, h.getPath(), "hostProbesAndHostLifecycle: " + name + " sets " + h.getName() + ".host=" + h.getValue());
        }
        if (sc.getAppArmorProfile() != null && !isAllowedProfileType(sc.getAppArmorProfile().getType())) {
            report(out, "pss-apparmor-profile", c, c.path("securityContext.appArmorProfile.type"), "appArmorProfile: " + name + " sets type=" + sc.getAppArmorProfile().getType());
        }
        if (sc.getSeLinuxOptions() != null) {
            seLinux(out, c, sc.getSeLinuxOptions(), name, c.path("securityContext.seLinuxOptions."));
        }
        if (!windows && !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            report(out, "pss-allow-privilege-escalation", c, c.path("securityContext.allowPrivilegeEscalation"), "allowPrivilegeEscalation: " + name + " does not set false");
        }
        if (!userNamespaced) {
            if (Boolean.FALSE.equals(sc.getRunAsNonRoot())) {
                report(out, "pss-run-as-non-root", c, c.path("securityContext.runAsNonRoot"), "runAsNonRoot: " + name + " sets runAsNonRoot=false");
            } else if (sc.getRunAsNonRoot() == null && !Boolean.TRUE.equals(psc.getRunAsNonRoot())) {
                report(out, "pss-run-as-non-root", c, c.path("securityContext.runAsNonRoot"), "runAsNonRoot: " + name + " does not set runAsNonRoot");
            }
            if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
                report(out, "pss-run-as-user", c, c.path("securityContext.runAsUser"), "runAsUser: " + name + " sets runAsUser=0");
            }
        }
        if (!windows) {
            SeccompProfile own = sc.getSeccompProfile();
            if (own != null ? !isAllowedProfileType(own.getType()) : !podSeccompValid) {
                report(out, "pss-seccomp-profile-restricted", c, c.path("securityContext.seccompProfile.type"), "seccompProfile_restricted: " + name + " has no valid profile");
            }
            if (!c.isDropsAllCapabilities()) {
                report(out, "pss-capabilities-restricted", c, c.path("securityContext.capabilities.drop"), "capabilities_restricted: " + name + " does not drop ALL (unrestricted capabilities)");
            }
            if (!c.getCapabilitiesAdd().isEmpty()) {
                for (FieldValue cap : c.getCapabilitiesAddEntries()) {
                    if (!cap.getValue().equals("NET_BIND_SERVICE")) {
                        report(out, "pss-capabilities-restricted", c, cap.getPath(), "capabilities_restricted: " + name + " adds " + cap.getValue());
                    }
                }
            }
        }
        if (c.getProcMount() != null && !c.getProcMount().equals("Default")) {
            report(out, "pss-proc-mount-restricted", c, c.path("securityContext.procMount"), "procMount_restricted: " + name + " sets procMount=" + c.getProcMount());
        }
    }

    private void seLinux(List<Finding> out, Subject subject, SELinuxOptions o, String name, String pathPrefix) {
        boolean badType = !SELINUX_TYPES.contains(o.getType() == null ? "" : o.getType());
        boolean badUser = o.getUser() != null && !o.getUser().isEmpty();
        boolean badRole = o.getRole() != null && !o.getRole().isEmpty();
        if (badType || badUser || badRole) {
            String field = badType ? "type" : badUser ? "user" : "role";
            report(out, "pss-selinux-options", subject, pathPrefix + field, "seLinuxOptions: " + name + " sets seLinuxOptions " + field);
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
