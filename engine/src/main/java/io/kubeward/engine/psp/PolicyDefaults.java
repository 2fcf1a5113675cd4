package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sets on a copy of a pod what a policy fills in when the pod leaves it unset, as the policy
 * admission did before it validated the pod:
 * <ul>
 *   <li>pod level: {@code supplementalGroups} and {@code fsGroup} from the first MustRunAs range,
 *       {@code runtimeClassName} from {@code defaultRuntimeClassName};</li>
 *   <li>each container (init, regular and ephemeral), where neither it nor the pod sets the value:
 *       {@code runAsUser} and {@code runAsGroup} from the first MustRunAs range, the MustRunAs
 *       {@code seLinuxOptions}, {@code runAsNonRoot: true} under MustRunAsNonRoot when no user is
 *       set; on the container's own fields: {@code defaultAddCapabilities} added (unless the container drops
 *       them) and {@code requiredDropCapabilities} dropped, {@code readOnlyRootFilesystem: true}
 *       when the policy requires it, {@code allowPrivilegeEscalation} from
 *       {@code defaultAllowPrivilegeEscalation}, else false when the policy forbids escalation.</li>
 * </ul>
 * The original object is never changed.
 */
public final class PolicyDefaults {

    /** A defaulted copy of a pod: the object, its workload view, and what was set. */
    public record Defaulted(HasMetadata object, Workload pod, List<AppliedDefault> defaults) {
        public boolean changed() {
            return !defaults.isEmpty();
        }
    }

    private final PodSecurityPolicyView policy;
    private final Workload original;
    private final List<AppliedDefault> applied = new ArrayList<>();

    private PolicyDefaults(PodSecurityPolicyView policy, Workload original) {
        this.policy = policy;
        this.original = original;
    }

    public static Defaulted apply(PodSecurityPolicyView policy, Workload original) {
        return new PolicyDefaults(policy, original).run();
    }

    private Defaulted run() {
        HasMetadata copy = PodCopies.copy(original.getObject());
        PodSpec spec = PodCopies.podSpec(copy);
        if (spec == null) {
            return new Defaulted(original.getObject(), original, List.of());
        }
        defaultPod(spec);
        List<Container> init = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        for (int i = 0; i < init.size(); i++) {
            Container c = init.get(i);
            defaultContainer(spec, "initContainers[" + i + "]", c::getSecurityContext, c::setSecurityContext);
        }
        List<Container> main = spec.getContainers() == null ? List.of() : spec.getContainers();
        for (int i = 0; i < main.size(); i++) {
            Container c = main.get(i);
            defaultContainer(spec, "containers[" + i + "]", c::getSecurityContext, c::setSecurityContext);
        }
        List<EphemeralContainer> eph = spec.getEphemeralContainers() == null ? List.of() : spec.getEphemeralContainers();
        for (int i = 0; i < eph.size(); i++) {
            EphemeralContainer c = eph.get(i);
            defaultContainer(spec, "ephemeralContainers[" + i + "]", c::getSecurityContext, c::setSecurityContext);
        }
        if (applied.isEmpty()) {
            return new Defaulted(original.getObject(), original, List.of());
        }
        Workload pod = Workload.of(copy, original.getSource()).orElseThrow();
        return new Defaulted(copy, pod, List.copyOf(applied));
    }

    private void defaultPod(PodSpec spec) {
        PodSecurityContext psc = spec.getSecurityContext();
        IdStrategy sup = policy.getSupplementalGroups();
        if (sup.getDefaultId() != null && (psc == null || psc.getSupplementalGroups() == null || psc.getSupplementalGroups().isEmpty())) {
            psc = podContext(spec);
            psc.setSupplementalGroups(new ArrayList<>(List.of(sup.getDefaultId())));
            record("securityContext.supplementalGroups", "[" + sup.getDefaultId() + "]", "supplementalGroups " + sup);
        }
        IdStrategy fs = policy.getFsGroup();
        if (fs.getDefaultId() != null && (psc == null || psc.getFsGroup() == null)) {
            psc = podContext(spec);
            psc.setFsGroup(fs.getDefaultId());
            record("securityContext.fsGroup", fs.getDefaultId().toString(), "fsGroup " + fs);
        }
        RuntimeClassStrategy rc = policy.getRuntimeClass();
        if (rc != null && rc.getDefaultRuntimeClassName() != null
                && (spec.getRuntimeClassName() == null || spec.getRuntimeClassName().isEmpty())) {
            spec.setRuntimeClassName(rc.getDefaultRuntimeClassName());
            record("runtimeClassName", rc.getDefaultRuntimeClassName(), "runtimeClass.defaultRuntimeClassName");
        }
    }

    private static PodSecurityContext podContext(PodSpec spec) {
        if (spec.getSecurityContext() == null) {
            spec.setSecurityContext(new PodSecurityContext());
        }
        return spec.getSecurityContext();
    }

    private void defaultContainer(PodSpec spec, String field, Supplier<SecurityContext> get, Consumer<SecurityContext> set) {
        PodSecurityContext psc = spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
        String sc = field + ".securityContext.";
        Long user = effective(get, s -> s.getRunAsUser(), psc.getRunAsUser());
        if (user == null && policy.getRunAsUser().getDefaultId() != null) {
            user = policy.getRunAsUser().getDefaultId();
            context(get, set).setRunAsUser(user);
            record(sc + "runAsUser", user.toString(), "runAsUser " + policy.getRunAsUser());
        }
        Long group = effective(get, s -> s.getRunAsGroup(), psc.getRunAsGroup());
        if (group == null && policy.getRunAsGroup().getDefaultId() != null) {
            context(get, set).setRunAsGroup(policy.getRunAsGroup().getDefaultId());
            record(sc + "runAsGroup", policy.getRunAsGroup().getDefaultId().toString(), "runAsGroup " + policy.getRunAsGroup());
        }
        SELinuxOptions seLinux = effective(get, s -> s.getSeLinuxOptions(), psc.getSeLinuxOptions());
        if (seLinux == null && policy.getSeLinux().isMustRunAs()) {
            context(get, set).setSeLinuxOptions(policy.getSeLinux().getOptions());
            record(sc + "seLinuxOptions", "{" + SeLinuxStrategy.describe(policy.getSeLinux().getOptions()) + "}", "seLinux MustRunAs");
        }
        Boolean nonRoot = effective(get, s -> s.getRunAsNonRoot(), psc.getRunAsNonRoot());
        // tells the kubelet to check the image's user, since no user id is set to check here
        if (nonRoot == null && user == null && policy.getRunAsUser().isMustRunAsNonRoot()) {
            context(get, set).setRunAsNonRoot(true);
            record(sc + "runAsNonRoot", "true", "runAsUser MustRunAsNonRoot");
        }
        defaultCapabilities(sc, get, set);
        SecurityContext own = get.get();
        if (policy.isReadOnlyRootFilesystem() && (own == null || own.getReadOnlyRootFilesystem() == null)) {
            context(get, set).setReadOnlyRootFilesystem(true);
            record(sc + "readOnlyRootFilesystem", "true", "readOnlyRootFilesystem");
        }
        own = get.get();
        if (policy.getDefaultAllowPrivilegeEscalation() != null && (own == null || own.getAllowPrivilegeEscalation() == null)) {
            context(get, set).setAllowPrivilegeEscalation(policy.getDefaultAllowPrivilegeEscalation());
            record(sc + "allowPrivilegeEscalation", policy.getDefaultAllowPrivilegeEscalation().toString(), "defaultAllowPrivilegeEscalation");
        }
        own = get.get();
        if (!policy.isAllowPrivilegeEscalation() && (own == null || own.getAllowPrivilegeEscalation() == null)) {
            context(get, set).setAllowPrivilegeEscalation(false);
            record(sc + "allowPrivilegeEscalation", "false", "allowPrivilegeEscalation: false");
        }
    }

    /**
     * Adds the default capabilities the container does not drop and drops the required ones. When
     * that changes anything the lists are written sorted, as the admission wrote them.
     */
    private void defaultCapabilities(String sc, Supplier<SecurityContext> get, Consumer<SecurityContext> set) {
        if (policy.getDefaultAddCapabilities().isEmpty() && policy.getRequiredDropCapabilities().isEmpty()) {
            return;
        }
        SecurityContext own = get.get();
        Capabilities caps = own == null ? null : own.getCapabilities();
        List<String> add = caps == null || caps.getAdd() == null ? List.of() : caps.getAdd();
        List<String> drop = caps == null || caps.getDrop() == null ? List.of() : caps.getDrop();
        Map<String, String> combinedAdd = byName(add);
        Map<String, String> combinedDrop = byName(drop);
        for (String c : policy.getDefaultAddCapabilities()) {
            if (!combinedDrop.containsKey(PodSecurityPolicyView.normalizeCapability(c))) {
                combinedAdd.putIfAbsent(PodSecurityPolicyView.normalizeCapability(c), c);
            }
        }
        for (String c : policy.getRequiredDropCapabilities()) {
            combinedDrop.putIfAbsent(PodSecurityPolicyView.normalizeCapability(c), c);
        }
        if (combinedAdd.size() == byName(add).size() && combinedDrop.size() == byName(drop).size()) {
            return;
        }
        List<String> newAdd = combinedAdd.values().stream().sorted().toList();
        List<String> newDrop = combinedDrop.values().stream().sorted().toList();
        Capabilities updated = new Capabilities(new ArrayList<>(newAdd), new ArrayList<>(newDrop));
        context(get, set).setCapabilities(updated);
        if (combinedAdd.size() != byName(add).size()) {
            record(sc + "capabilities.add", "[" + String.join(", ", newAdd) + "]", "defaultAddCapabilities");
        }
        if (combinedDrop.size() != byName(drop).size()) {
            record(sc + "capabilities.drop", "[" + String.join(", ", newDrop) + "]", "requiredDropCapabilities");
        }
    }

    private static Map<String, String> byName(List<String> caps) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : caps) {
            if (c != null) {
                out.putIfAbsent(PodSecurityPolicyView.normalizeCapability(c), c);
            }
        }
        return out;
    }

    private static <T> T effective(Supplier<SecurityContext> get, java.util.function.Function<SecurityContext, T> field, T podValue) {
        SecurityContext own = get.get();
        T v = own == null ? null : field.apply(own);
        return v != null ? v : podValue;
    }

    private static SecurityContext context(Supplier<SecurityContext> get, Consumer<SecurityContext> set) {
        if (get.get() == null) {
            set.accept(new SecurityContext());
        }
        return get.get();
    }

    private void record(String field, String value, String because) {
        applied.add(new AppliedDefault(original.path(field), value, because));
    }
}
