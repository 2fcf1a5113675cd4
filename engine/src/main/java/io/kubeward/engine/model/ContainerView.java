package io.kubeward.engine.model;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * One container of a {@link Workload} (regular, init or ephemeral) with its effective security
 * context computed once: for the fields a pod may set too (runAsUser, runAsGroup, runAsNonRoot,
 * seLinuxOptions, seccompProfile, appArmorProfile, windowsOptions) the container's value, else the
 * pod's. Rules read plain values and never meet a null collection or a null boolean that only
 * means "false".
 */
public final class ContainerView implements Subject {

    private final Workload workload;
    private final ContainerKind kind;
    private final int index;
    private final Container container;
    private final SecurityContext sc;
    private final PodSecurityContext psc;
    private final String path;
    private final List<ContainerPort> ports;
    private List<FieldValue> capabilitiesAddEntries;
    private List<FieldValue> handlerHosts;

    ContainerView(Workload workload, ContainerKind kind, int index, Container container) {
        this.workload = workload;
        this.kind = kind;
        this.index = index;
        this.container = container;
        this.sc = container.getSecurityContext() == null ? new SecurityContext() : container.getSecurityContext();
        this.psc = workload.getPodSecurityContext();
        this.path = workload.path(kind.field() + "[" + index + "]");
        List<ContainerPort> ps = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.ContainerPort> raw = container.getPorts() == null ? List.of() : container.getPorts();
        for (int i = 0; i < raw.size(); i++) {
            ps.add(new ContainerPort(this, i, raw.get(i)));
        }
        this.ports = Collections.unmodifiableList(ps);
    }

    static Container asContainer(EphemeralContainer e) {
        Container c = new Container();
        c.setName(e.getName());
        c.setImage(e.getImage());
        c.setCommand(e.getCommand());
        c.setArgs(e.getArgs());
        c.setEnv(e.getEnv());
        c.setEnvFrom(e.getEnvFrom());
        c.setPorts(e.getPorts());
        c.setSecurityContext(e.getSecurityContext());
        c.setVolumeMounts(e.getVolumeMounts());
        c.setVolumeDevices(e.getVolumeDevices());
        c.setLivenessProbe(e.getLivenessProbe());
        c.setReadinessProbe(e.getReadinessProbe());
        c.setStartupProbe(e.getStartupProbe());
        c.setLifecycle(e.getLifecycle());
        c.setResources(e.getResources());
        c.setWorkingDir(e.getWorkingDir());
        return c;
    }

    /** Full path of a field of this container, e.g. {@code spec.containers[1].ports[0].hostPort}. */
    public String path(String field) {
        return field == null || field.isEmpty() ? path : path + "." + field;
    }

    /**
     * Where the effective value of a security-context field is set: the container's
     * {@code securityContext.<field>} when it sets it, else the pod's when that sets it, else the
     * container's (where a fix would go).
     */
    public String securityContextPath(String field) {
        String top = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
        if (isSetOnContainer(top) || !isSetOnPod(top)) {
            return path("securityContext." + field);
        }
        return workload.path("securityContext." + field);
    }

    private boolean isSetOnContainer(String field) {
        return switch (field) {
            case "runAsUser" -> sc.getRunAsUser() != null;
            case "runAsGroup" -> sc.getRunAsGroup() != null;
            case "runAsNonRoot" -> sc.getRunAsNonRoot() != null;
            case "seLinuxOptions" -> sc.getSeLinuxOptions() != null;
            case "seccompProfile" -> sc.getSeccompProfile() != null;
            case "appArmorProfile" -> sc.getAppArmorProfile() != null;
            case "windowsOptions" -> sc.getWindowsOptions() != null;
            default -> true;
        };
    }

    private boolean isSetOnPod(String field) {
        return switch (field) {
            case "runAsUser" -> psc.getRunAsUser() != null;
            case "runAsGroup" -> psc.getRunAsGroup() != null;
            case "runAsNonRoot" -> psc.getRunAsNonRoot() != null;
            case "seLinuxOptions" -> psc.getSeLinuxOptions() != null;
            case "seccompProfile" -> psc.getSeccompProfile() != null;
            case "appArmorProfile" -> psc.getAppArmorProfile() != null;
            case "windowsOptions" -> psc.getWindowsOptions() != null;
            default -> false;
        };
    }

    private <T> T effective(Function<SecurityContext, T> container, Function<PodSecurityContext, T> pod) {
        T value = container.apply(sc);
        return value != null ? value : pod.apply(psc);
    }

    public Workload getWorkload() {
        return workload;
    }

    public Container getContainer() {
        return container;
    }

    @Override
    public ResourceRef getResource() {
        return workload.getResource();
    }

    @Override
    public Source getSource() {
        return workload.getSource();
    }

    @Override
    public String getContainerName() {
        return container.getName();
    }

    public String getName() {
        return container.getName();
    }

    public String getImage() {
        return container.getImage();
    }

    public ContainerKind getKind() {
        return kind;
    }

    public int getIndex() {
        return index;
    }

    public String getPath() {
        return path;
    }

    public List<ContainerPort> getPorts() {
        return ports;
    }

    /** The container's own security context as written; an empty one when unset. */
    public SecurityContext getSecurityContext() {
        return sc;
    }

    public Long getRunAsUser() {
        return effective(SecurityContext::getRunAsUser, PodSecurityContext::getRunAsUser);
    }

    public Long getRunAsGroup() {
        return effective(SecurityContext::getRunAsGroup, PodSecurityContext::getRunAsGroup);
    }

    /** Effective runAsNonRoot: true, false, or null when neither container nor pod sets it. */
    public Boolean getRunAsNonRoot() {
        return effective(SecurityContext::getRunAsNonRoot, PodSecurityContext::getRunAsNonRoot);
    }

    public SELinuxOptions getSeLinuxOptions() {
        return effective(SecurityContext::getSeLinuxOptions, PodSecurityContext::getSeLinuxOptions);
    }

    /** Effective seccomp profile type (RuntimeDefault, Localhost, Unconfined) or null. */
    public String getSeccompProfileType() {
        SeccompProfile p = effective(SecurityContext::getSeccompProfile, PodSecurityContext::getSeccompProfile);
        return p == null ? null : p.getType();
    }

    /** Effective AppArmor profile type (RuntimeDefault, Localhost, Unconfined) or null. */
    public String getAppArmorProfileType() {
        AppArmorProfile p = effective(SecurityContext::getAppArmorProfile, PodSecurityContext::getAppArmorProfile);
        return p == null ? null : p.getType();
    }

    public boolean isWindowsHostProcess() {
        WindowsSecurityContextOptions w = effective(SecurityContext::getWindowsOptions, PodSecurityContext::getWindowsOptions);
        return w != null && Boolean.TRUE.equals(w.getHostProcess());
    }

    public boolean isPrivileged() {
        return Boolean.TRUE.equals(sc.getPrivileged());
    }

    /** allowPrivilegeEscalation as written: null when unset (the runtime then allows it). */
    public Boolean getAllowPrivilegeEscalation() {
        return sc.getAllowPrivilegeEscalation();
    }

    public boolean isReadOnlyRootFilesystem() {
        return Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem());
    }

    /** procMount as written, or null (Default). */
    public String getProcMount() {
        return sc.getProcMount();
    }

    public List<String> getCapabilitiesAdd() {
        Capabilities c = sc.getCapabilities();
        return c == null || c.getAdd() == null ? List.of() : Collections.unmodifiableList(c.getAdd());
    }

    public List<String> getCapabilitiesDrop() {
        Capabilities c = sc.getCapabilities();
        return c == null || c.getDrop() == null ? List.of() : Collections.unmodifiableList(c.getDrop());
    }

    /**
     * Each capability of {@code securityContext.capabilities.add} with its path
     * ({@code ...securityContext.capabilities.add[1]}); name and value are the capability as written.
     */
    public List<FieldValue> getCapabilitiesAddEntries() {
        if (capabilitiesAddEntries == null) {
            List<String> add = getCapabilitiesAdd();
            List<FieldValue> out = new ArrayList<>(add.size());
            for (int i = 0; i < add.size(); i++) {
                out.add(new FieldValue(path("securityContext.capabilities.add[" + i + "]"), add.get(i), add.get(i)));
            }
            capabilitiesAddEntries = Collections.unmodifiableList(out);
        }
        return capabilitiesAddEntries;
    }

    /** True when {@code securityContext.capabilities.drop} holds {@code ALL} (exactly so written). */
    public boolean isDropsAllCapabilities() {
        return getCapabilitiesDrop().contains("ALL");
    }

    /**
     * Every {@code host} set (not empty) in the container's probes (liveness, readiness, startup)
     * and lifecycle hooks (postStart, preStop), on their httpGet or tcpSocket handler. The name is
     * the handler, e.g. {@code livenessProbe.httpGet}; the value the host.
     */
    public List<FieldValue> getProbeAndLifecycleHosts() {
        if (handlerHosts == null) {
            // most containers set no host: keep that case free of allocation, every rule session asks
            List<FieldValue> out = null;
            out = probeHosts(out, "livenessProbe", container.getLivenessProbe());
            out = probeHosts(out, "readinessProbe", container.getReadinessProbe());
            out = probeHosts(out, "startupProbe", container.getStartupProbe());
            Lifecycle l = container.getLifecycle();
            if (l != null) {
                out = handlerHosts(out, "lifecycle.postStart", l.getPostStart());
                out = handlerHosts(out, "lifecycle.preStop", l.getPreStop());
            }
            handlerHosts = out == null ? List.of() : Collections.unmodifiableList(out);
        }
        return handlerHosts;
    }

    private List<FieldValue> probeHosts(List<FieldValue> out, String field, Probe p) {
        if (p == null) {
            return out;
        }
        out = host(out, field, ".httpGet", p.getHttpGet() == null ? null : p.getHttpGet().getHost());
        return host(out, field, ".tcpSocket", p.getTcpSocket() == null ? null : p.getTcpSocket().getHost());
    }

    private List<FieldValue> handlerHosts(List<FieldValue> out, String field, LifecycleHandler h) {
        if (h == null) {
            return out;
        }
        out = host(out, field, ".httpGet", h.getHttpGet() == null ? null : h.getHttpGet().getHost());
        return host(out, field, ".tcpSocket", h.getTcpSocket() == null ? null : h.getTcpSocket().getHost());
    }

    private List<FieldValue> host(List<FieldValue> out, String field, String action, String host) {
        if (host == null || host.isEmpty()) {
            return out;
        }
        String handler = field + action;
        List<FieldValue> list = out == null ? new ArrayList<>(2) : out;
        list.add(new FieldValue(path(handler + ".host"), handler, host));
        return list;
    }

    @Override
    public String toString() {
        return workload + "[" + container.getName() + "]";
    }
}
