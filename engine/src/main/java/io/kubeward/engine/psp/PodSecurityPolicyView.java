package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.policy.v1beta1.AllowedCSIDriver;
import io.fabric8.kubernetes.api.model.policy.v1beta1.AllowedFlexVolume;
import io.fabric8.kubernetes.api.model.policy.v1beta1.AllowedHostPath;
import io.fabric8.kubernetes.api.model.policy.v1beta1.HostPortRange;
import io.fabric8.kubernetes.api.model.policy.v1beta1.IDRange;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodSecurityPolicy;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodSecurityPolicySpec;
import io.fabric8.kubernetes.api.model.policy.v1beta1.RuntimeClassStrategyOptions;
import io.fabric8.kubernetes.api.model.policy.v1beta1.SELinuxStrategyOptions;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import io.kubeward.engine.model.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@code policy/v1beta1} (or {@code extensions/v1beta1}) PodSecurityPolicy, validated as the API
 * server validated it and read into null-free values the rules ask questions of:
 * {@code allowsHostPort(9000)}, {@code runAsUser.allows(405)}, {@code missingRequiredDrops(drops)}.
 *
 * <p>Built with {@link #of(InputObject)}, which refuses an invalid policy with every problem named
 * by field. Immutable.
 */
public final class PodSecurityPolicyView implements Subject {

    /** The apiVersions PodSecurityPolicy was served under. */
    public static final Set<String> API_VERSIONS = Set.of("policy/v1beta1", "extensions/v1beta1");

    /** Sysctls the kubelet allows without allowedUnsafeSysctls (the safe set of the last releases with PodSecurityPolicy). */
    public static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start");

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Pattern SYSCTL_PATTERN =
            Pattern.compile("^(\\*|([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*([a-z0-9]([-_a-z0-9]*[a-z0-9])?\\*?|\\*))$");

    private final HasMetadata object;
    private final ResourceRef resource;
    private final Source source;
    private final String name;
    private boolean privileged;
    private boolean hostPID;
    private boolean hostIPC;
    private boolean hostNetwork;
    private List<PortRange> hostPorts = List.of();
    private List<String> volumes = List.of();
    private List<HostPathRule> allowedHostPaths = List.of();
    private List<String> allowedFlexVolumes = List.of();
    private List<String> allowedCSIDrivers = List.of();
    private IdStrategy runAsUser = IdStrategy.RUN_AS_ANY;
    private IdStrategy runAsGroup = IdStrategy.RUN_AS_ANY;
    private IdStrategy supplementalGroups = IdStrategy.RUN_AS_ANY;
    private IdStrategy fsGroup = IdStrategy.RUN_AS_ANY;
    private SeLinuxStrategy seLinux = new SeLinuxStrategy(false, null);
    private boolean readOnlyRootFilesystem;
    private boolean allowPrivilegeEscalation = true;
    private Boolean defaultAllowPrivilegeEscalation;
    private List<String> allowedCapabilities = List.of();
    private List<String> defaultAddCapabilities = List.of();
    private List<String> requiredDropCapabilities = List.of();
    private List<String> allowedUnsafeSysctls = List.of();
    private List<String> forbiddenSysctls = List.of();
    private List<String> allowedProcMountTypes = List.of();
    private RuntimeClassStrategy runtimeClass;

    private PodSecurityPolicyView(HasMetadata object, Source source) {
        this.object = object;
        this.resource = ResourceRef.of(object);
        this.source = source;
        this.name = resource.name();
    }

    /** True for the objects {@link #of} reads: kind PodSecurityPolicy of policy/v1beta1 or extensions/v1beta1. */
    public static boolean isPodSecurityPolicy(HasMetadata o) {
        return o != null && "PodSecurityPolicy".equals(o.getKind()) && API_VERSIONS.contains(o.getApiVersion());
    }

    /**
     * Reads and validates a policy.
     *
     * @throws InvalidPolicyException naming each invalid field, with its line when the input has one
     * @throws IllegalArgumentException when the object is not a PodSecurityPolicy
     */
    public static PodSecurityPolicyView of(InputObject input) {
        HasMetadata o = input.object();
        if (!isPodSecurityPolicy(o)) {
            throw new IllegalArgumentException(input.ref().display() + " is not a PodSecurityPolicy");
        }
        PodSecurityPolicyView view = new PodSecurityPolicyView(o, input.source());
        List<PolicyProblem> problems = new ArrayList<>();
        PodSecurityPolicy psp;
        if (o instanceof PodSecurityPolicy p) {
            psp = p;
        } else {
            // extensions/v1beta1 and generic objects have the same JSON shape
            try {
                psp = MAPPER.convertValue(o, PodSecurityPolicy.class);
            } catch (RuntimeException e) {
                problems.add(view.problem("spec", "cannot be read: " + firstLine(e.getMessage())));
                throw new InvalidPolicyException(view.resource, problems);
            }
        }
        view.read(psp, problems);
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(view.resource, problems);
        }
        return view;
    }

    private PolicyProblem problem(String field, String message) {
        return new PolicyProblem(field, message, source == null ? null : source.locate(field));
    }

    private void read(PodSecurityPolicy psp, List<PolicyProblem> problems) {
        if (name == null || name.isBlank()) {
            problems.add(problem("metadata.name", "required"));
        }
        unknownFields("", psp.getAdditionalProperties(), problems);
        PodSecurityPolicySpec spec = psp.getSpec();
        if (spec == null) {
            problems.add(problem("spec", "required: a PodSecurityPolicy needs at least the rules runAsUser, seLinux, supplementalGroups and fsGroup"));
            return;
        }
        unknownFields("spec.", spec.getAdditionalProperties(), problems);
        privileged = Boolean.TRUE.equals(spec.getPrivileged());
        hostPID = Boolean.TRUE.equals(spec.getHostPID());
        hostIPC = Boolean.TRUE.equals(spec.getHostIPC());
        hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        hostPorts = readHostPorts(spec.getHostPorts(), problems);
        volumes = readVolumes(spec.getVolumes(), problems);
        allowedHostPaths = readHostPaths(spec.getAllowedHostPaths(), problems);
        allowedFlexVolumes = readFlexVolumes(spec.getAllowedFlexVolumes(), problems);
        allowedCSIDrivers = readCsiDrivers(spec.getAllowedCSIDrivers(), problems);
        runAsUser = readIdStrategy("spec.runAsUser", spec.getRunAsUser() == null ? null : spec.getRunAsUser().getRule(),
                spec.getRunAsUser() == null ? null : spec.getRunAsUser().getRanges(),
                spec.getRunAsUser() == null ? null : spec.getRunAsUser().getAdditionalProperties(),
                true, List.of(IdStrategy.Rule.MUST_RUN_AS, IdStrategy.Rule.MUST_RUN_AS_NON_ROOT, IdStrategy.Rule.RUN_AS_ANY), problems);
        runAsGroup = readIdStrategy("spec.runAsGroup", spec.getRunAsGroup() == null ? null : spec.getRunAsGroup().getRule(),
                spec.getRunAsGroup() == null ? null : spec.getRunAsGroup().getRanges(),
                spec.getRunAsGroup() == null ? null : spec.getRunAsGroup().getAdditionalProperties(),
                false, List.of(IdStrategy.Rule.MUST_RUN_AS, IdStrategy.Rule.MAY_RUN_AS, IdStrategy.Rule.RUN_AS_ANY), problems);
        supplementalGroups = readIdStrategy("spec.supplementalGroups",
                spec.getSupplementalGroups() == null ? null : spec.getSupplementalGroups().getRule(),
                spec.getSupplementalGroups() == null ? null : spec.getSupplementalGroups().getRanges(),
                spec.getSupplementalGroups() == null ? null : spec.getSupplementalGroups().getAdditionalProperties(),
                true, List.of(IdStrategy.Rule.MUST_RUN_AS, IdStrategy.Rule.MAY_RUN_AS, IdStrategy.Rule.RUN_AS_ANY), problems);
        fsGroup = readIdStrategy("spec.fsGroup", spec.getFsGroup() == null ? null : spec.getFsGroup().getRule(),
                spec.getFsGroup() == null ? null : spec.getFsGroup().getRanges(),
                spec.getFsGroup() == null ? null : spec.getFsGroup().getAdditionalProperties(),
                true, List.of(IdStrategy.Rule.MUST_RUN_AS, IdStrategy.Rule.MAY_RUN_AS, IdStrategy.Rule.RUN_AS_ANY), problems);
        seLinux = readSeLinux(spec.getSeLinux(), problems);
        readOnlyRootFilesystem = Boolean.TRUE.equals(spec.getReadOnlyRootFilesystem());
        // unset means true: the field came after the first release, and old policies must stay as permissive
        allowPrivilegeEscalation = spec.getAllowPrivilegeEscalation() == null || spec.getAllowPrivilegeEscalation();
        defaultAllowPrivilegeEscalation = spec.getDefaultAllowPrivilegeEscalation();
        if (Boolean.TRUE.equals(defaultAllowPrivilegeEscalation) && !allowPrivilegeEscalation) {
            problems.add(problem("spec.defaultAllowPrivilegeEscalation",
                    "cannot be true while allowPrivilegeEscalation is false"));
        }
        allowedCapabilities = readCapabilities("spec.allowedCapabilities", spec.getAllowedCapabilities(), true, problems);
        defaultAddCapabilities = readCapabilities("spec.defaultAddCapabilities", spec.getDefaultAddCapabilities(), false, problems);
        requiredDropCapabilities = readCapabilities("spec.requiredDropCapabilities", spec.getRequiredDropCapabilities(), false, problems);
        for (int i = 0; i < requiredDropCapabilities.size(); i++) {
            String cap = requiredDropCapabilities.get(i);
            if (containsCapability(allowedCapabilities, cap)) {
                problems.add(problem("spec.requiredDropCapabilities[" + i + "]", "capability " + cap
                        + " is also in allowedCapabilities; a capability cannot be both allowed and required to be dropped"));
            }
            if (containsCapability(defaultAddCapabilities, cap)) {
                problems.add(problem("spec.requiredDropCapabilities[" + i + "]", "capability " + cap
                        + " is also in defaultAddCapabilities; a capability cannot be both added by default and required to be dropped"));
            }
        }
        allowedUnsafeSysctls = readSysctls("spec.allowedUnsafeSysctls", spec.getAllowedUnsafeSysctls(), problems);
        forbiddenSysctls = readSysctls("spec.forbiddenSysctls", spec.getForbiddenSysctls(), problems);
        for (int i = 0; i < allowedUnsafeSysctls.size(); i++) {
            String allowed = allowedUnsafeSysctls.get(i);
            for (String forbidden : forbiddenSysctls) {
                if (sysctlPatternsOverlap(allowed, forbidden)) {
                    problems.add(problem("spec.allowedUnsafeSysctls[" + i + "]",
                            "sysctl " + allowed + " is also matched by forbiddenSysctls entry " + forbidden));
                }
            }
        }
        allowedProcMountTypes = readProcMountTypes(spec.getAllowedProcMountTypes(), problems);
        runtimeClass = readRuntimeClass(spec.getRuntimeClass(), problems);
    }

    private void unknownFields(String prefix, Map<String, Object> additional, List<PolicyProblem> problems) {
        if (additional == null) {
            return;
        }
        for (String key : additional.keySet()) {
            problems.add(problem(prefix + key, "unknown field of a PodSecurityPolicy (check the spelling)"));
        }
    }

    private List<PortRange> readHostPorts(List<HostPortRange> raw, List<PolicyProblem> problems) {
        List<PortRange> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            String field = "spec.hostPorts[" + i + "]";
            HostPortRange r = raw.get(i);
            if (r == null) {
                problems.add(problem(field, "a range needs min and max"));
                continue;
            }
            unknownFields(field + ".", r.getAdditionalProperties(), problems);
            Integer min = r.getMin();
            Integer max = r.getMax();
            if (min == null || max == null) {
                problems.add(problem(field + (min == null ? ".min" : ".max"), "required"));
                continue;
            }
            if (min < 0 || min > 65535) {
                problems.add(problem(field + ".min", min + " is not a port number (0-65535)"));
                continue;
            }
            if (max < 0 || max > 65535) {
                problems.add(problem(field + ".max", max + " is not a port number (0-65535)"));
                continue;
            }
            if (min > max) {
                problems.add(problem(field, "inverted range: min " + min + " is greater than max " + max));
                continue;
            }
            PortRange range = new PortRange(min, max);
            for (int j = 0; j < out.size(); j++) {
                if (out.get(j).overlaps(range)) {
                    problems.add(problem(field, "range " + range + " overlaps hostPorts[" + indexOf(raw, out.get(j)) + "] (" + out.get(j) + ")"));
                }
            }
            out.add(range);
        }
        return out;
    }

    private static int indexOf(List<HostPortRange> raw, PortRange range) {
        for (int i = 0; i < raw.size(); i++) {
            HostPortRange r = raw.get(i);
            if (r != null && r.getMin() != null && r.getMin() == range.min() && r.getMax() != null && r.getMax() == range.max()) {
                return i;
            }
        }
        return -1;
    }

    private List<String> readVolumes(List<String> raw, List<PolicyProblem> problems) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            String v = raw.get(i);
            if (v == null || !(v.equals("*") || v.equals("none") || VolumeTypes.KNOWN_SET.contains(v))) {
                problems.add(problem("spec.volumes[" + i + "]", "unknown volume type " + quote(v) + "; expected *, none or one of "
                        + String.join(", ", VolumeTypes.KNOWN)));
                continue;
            }
            out.add(v);
        }
        return out;
    }

    private List<HostPathRule> readHostPaths(List<AllowedHostPath> raw, List<PolicyProblem> problems) {
        List<HostPathRule> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            String field = "spec.allowedHostPaths[" + i + "]";
            AllowedHostPath p = raw.get(i);
            if (p == null || p.getPathPrefix() == null || p.getPathPrefix().isBlank()) {
                problems.add(problem(field + ".pathPrefix", "required"));
                continue;
            }
            unknownFields(field + ".", p.getAdditionalProperties(), problems);
            String prefix = p.getPathPrefix();
            if (!prefix.startsWith("/")) {
                problems.add(problem(field + ".pathPrefix", "must be an absolute path, found " + quote(prefix)));
                continue;
            }
            if (List.of(prefix.split("/")).contains("..")) {
                problems.add(problem(field + ".pathPrefix", "must not contain '..', found " + quote(prefix)));
                continue;
            }
            out.add(new HostPathRule(prefix, Boolean.TRUE.equals(p.getReadOnly())));
        }
        return out;
    }

    private List<String> readFlexVolumes(List<AllowedFlexVolume> raw, List<PolicyProblem> problems) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            AllowedFlexVolume f = raw.get(i);
            if (f == null || f.getDriver() == null || f.getDriver().isBlank()) {
                problems.add(problem("spec.allowedFlexVolumes[" + i + "].driver", "required"));
                continue;
            }
            unknownFields("spec.allowedFlexVolumes[" + i + "].", f.getAdditionalProperties(), problems);
            out.add(f.getDriver());
        }
        if (!out.isEmpty() && !volumes.contains("*") && !volumes.contains("flexVolume")) {
            problems.add(problem("spec.allowedFlexVolumes",
                    "lists drivers, but spec.volumes allows no flexVolume volumes (add flexVolume to volumes)"));
        }
        return out;
    }

    private List<String> readCsiDrivers(List<AllowedCSIDriver> raw, List<PolicyProblem> problems) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            AllowedCSIDriver d = raw.get(i);
            if (d == null || d.getName() == null || d.getName().isBlank()) {
                problems.add(problem("spec.allowedCSIDrivers[" + i + "].name", "required"));
                continue;
            }
            unknownFields("spec.allowedCSIDrivers[" + i + "].", d.getAdditionalProperties(), problems);
            out.add(d.getName());
        }
        return out;
    }

    private IdStrategy readIdStrategy(String field, String rule, List<IDRange> rawRanges, Map<String, Object> additional,
                                      boolean required, List<IdStrategy.Rule> supported, List<PolicyProblem> problems) {
        String expected = supported.stream().map(IdStrategy.Rule::apiName).collect(Collectors.joining(", "));
        if (rule == null && (rawRanges == null || rawRanges.isEmpty()) && (additional == null || additional.isEmpty())) {
            if (required) {
                problems.add(problem(field + ".rule", "required; one of " + expected));
            }
            return IdStrategy.RUN_AS_ANY;
        }
        unknownFields(field + ".", additional, problems);
        IdStrategy.Rule kind = null;
        for (IdStrategy.Rule r : supported) {
            if (r.apiName().equals(rule)) {
                kind = r;
            }
        }
        if (kind == null) {
            problems.add(problem(field + ".rule", (rule == null ? "required" : "unknown rule " + quote(rule)) + "; expected one of " + expected));
            return IdStrategy.RUN_AS_ANY;
        }
        List<IdRange> ranges = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        List<IDRange> raw = rawRanges == null ? List.of() : rawRanges;
        for (int i = 0; i < raw.size(); i++) {
            String rf = field + ".ranges[" + i + "]";
            IDRange r = raw.get(i);
            if (r == null || r.getMin() == null || r.getMax() == null) {
                problems.add(problem(rf + (r == null || r.getMin() == null ? ".min" : ".max"), "required"));
                continue;
            }
            unknownFields(rf + ".", r.getAdditionalProperties(), problems);
            if (r.getMin() < 0) {
                problems.add(problem(rf + ".min", "cannot be negative, found " + r.getMin()));
                continue;
            }
            if (r.getMax() < 0) {
                problems.add(problem(rf + ".max", "cannot be negative, found " + r.getMax()));
                continue;
            }
            if (r.getMin() > r.getMax()) {
                problems.add(problem(rf, "inverted range: min " + r.getMin() + " is greater than max " + r.getMax()));
                continue;
            }
            IdRange range = new IdRange(r.getMin(), r.getMax());
            for (int j = 0; j < ranges.size(); j++) {
                if (ranges.get(j).overlaps(range)) {
                    problems.add(problem(rf, "range " + range + " overlaps ranges[" + indexes.get(j) + "] (" + ranges.get(j) + ")"));
                }
            }
            ranges.add(range);
            indexes.add(i);
        }
        boolean ranged = kind == IdStrategy.Rule.MUST_RUN_AS || kind == IdStrategy.Rule.MAY_RUN_AS;
        if (ranged && raw.isEmpty()) {
            problems.add(problem(field + ".ranges", "required: " + kind.apiName() + " needs at least one range"));
        }
        return new IdStrategy(kind, ranged ? ranges : List.of());
    }

    private SeLinuxStrategy readSeLinux(SELinuxStrategyOptions raw, List<PolicyProblem> problems) {
        if (raw == null || raw.getRule() == null) {
            problems.add(problem("spec.seLinux.rule", "required; one of MustRunAs, RunAsAny"));
            return new SeLinuxStrategy(false, null);
        }
        unknownFields("spec.seLinux.", raw.getAdditionalProperties(), problems);
        switch (raw.getRule()) {
            case "RunAsAny":
                return new SeLinuxStrategy(false, null);
            case "MustRunAs":
                SELinuxOptions o = raw.getSeLinuxOptions();
                if (o == null || (isBlank(o.getUser()) && isBlank(o.getRole()) && isBlank(o.getType()) && isBlank(o.getLevel()))) {
                    problems.add(problem("spec.seLinux.seLinuxOptions", "required: MustRunAs needs the options pods must run with"));
                    return new SeLinuxStrategy(false, null);
                }
                unknownFields("spec.seLinux.seLinuxOptions.", o.getAdditionalProperties(), problems);
                return new SeLinuxStrategy(true, o);
            default:
                problems.add(problem("spec.seLinux.rule", "unknown rule " + quote(raw.getRule()) + "; expected one of MustRunAs, RunAsAny"));
                return new SeLinuxStrategy(false, null);
        }
    }

    private List<String> readCapabilities(String field, List<String> raw, boolean wildcardAllowed, List<PolicyProblem> problems) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            String c = raw.get(i);
            if (c == null || c.isBlank()) {
                problems.add(problem(field + "[" + i + "]", "a capability name is required"));
                continue;
            }
            if (c.equals("*") && !wildcardAllowed) {
                problems.add(problem(field + "[" + i + "]", "* (every capability) is only meaningful in allowedCapabilities"));
                continue;
            }
            out.add(c);
        }
        return out;
    }

    private List<String> readSysctls(String field, List<String> raw, List<PolicyProblem> problems) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            String s = raw.get(i);
            if (s == null || !SYSCTL_PATTERN.matcher(s).matches()) {
                problems.add(problem(field + "[" + i + "]", "not a sysctl name or pattern: " + quote(s)
                        + " (a name such as net.ipv4.tcp_syncookies, a prefix ending in *, or *)"));
                continue;
            }
            out.add(s);
        }
        return out;
    }

    private List<String> readProcMountTypes(List<String> raw, List<PolicyProblem> problems) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            String t = raw.get(i);
            if (!"Default".equals(t) && !"Unmasked".equals(t)) {
                problems.add(problem("spec.allowedProcMountTypes[" + i + "]", "unknown proc mount type " + quote(t) + "; expected Default or Unmasked"));
                continue;
            }
            out.add(t);
        }
        return out;
    }

    private RuntimeClassStrategy readRuntimeClass(RuntimeClassStrategyOptions raw, List<PolicyProblem> problems) {
        if (raw == null) {
            return null;
        }
        unknownFields("spec.runtimeClass.", raw.getAdditionalProperties(), problems);
        List<String> allowed = raw.getAllowedRuntimeClassNames() == null ? List.of() : raw.getAllowedRuntimeClassNames();
        for (int i = 0; i < allowed.size(); i++) {
            String n = allowed.get(i);
            if (n == null || n.isBlank()) {
                problems.add(problem("spec.runtimeClass.allowedRuntimeClassNames[" + i + "]", "a RuntimeClass name is required"));
            } else if (n.equals("*") && allowed.size() > 1) {
                problems.add(problem("spec.runtimeClass.allowedRuntimeClassNames[" + i + "]", "* allows every RuntimeClass and must be the only entry"));
            }
        }
        String def = raw.getDefaultRuntimeClassName();
        RuntimeClassStrategy strategy = new RuntimeClassStrategy(allowed.stream().filter(n -> n != null && !n.isBlank()).toList(), def);
        if (def != null && !strategy.allows(def)) {
            problems.add(problem("spec.runtimeClass.defaultRuntimeClassName",
                    "the default " + quote(def) + " must be in allowedRuntimeClassNames (" + strategy + ")"));
        }
        return strategy;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String quote(String s) {
        return s == null ? "(empty)" : "\"" + s + "\"";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // ---- questions the rules ask

    public String getName() {
        return name;
    }

    public HasMetadata getObject() {
        return object;
    }

    @Override
    public ResourceRef getResource() {
        return resource;
    }

    @Override
    public Source getSource() {
        return source;
    }

    public boolean isPrivileged() {
        return privileged;
    }

    public boolean isHostPID() {
        return hostPID;
    }

    public boolean isHostIPC() {
        return hostIPC;
    }

    public boolean isHostNetwork() {
        return hostNetwork;
    }

    public List<PortRange> getHostPorts() {
        return hostPorts;
    }

    public boolean allowsHostPort(int port) {
        return hostPorts.stream().anyMatch(r -> r.contains(port));
    }

    /** e.g. {@code 10000-11000, 13000-14000}, or {@code none}. */
    public String describeHostPorts() {
        return hostPorts.isEmpty() ? "none" : hostPorts.stream().map(PortRange::toString).collect(Collectors.joining(", "));
    }

    public List<String> getVolumes() {
        return volumes;
    }

    /** True when {@code volumes} lists the type or {@code *}. A null type (no known source) is never allowed, unless by {@code *}. */
    public boolean allowsVolumeType(String type) {
        return volumes.contains("*") || (type != null && volumes.contains(type));
    }

    /** e.g. {@code configMap, secret}, or {@code none}. */
    public String describeVolumes() {
        List<String> listed = volumes.stream().filter(v -> !v.equals("none")).toList();
        return listed.isEmpty() ? "none" : String.join(", ", listed);
    }

    public List<HostPathRule> getAllowedHostPaths() {
        return allowedHostPaths;
    }

    /** True when no allowedHostPaths are set, or one of them is a prefix of the path. */
    public boolean allowsHostPath(String path) {
        return allowedHostPaths.isEmpty() || allowedHostPaths.stream().anyMatch(p -> p.matches(path));
    }

    /** True when the path is allowed only read-only: every matching prefix is readOnly. */
    public boolean requiresReadOnlyHostPath(String path) {
        List<HostPathRule> matching = allowedHostPaths.stream().filter(p -> p.matches(path)).toList();
        return !matching.isEmpty() && matching.stream().allMatch(HostPathRule::readOnly);
    }

    public String describeAllowedHostPaths() {
        return allowedHostPaths.stream().map(p -> p.pathPrefix() + (p.readOnly() ? " (read-only)" : ""))
                .collect(Collectors.joining(", "));
    }

    public List<String> getAllowedFlexVolumes() {
        return allowedFlexVolumes;
    }

    /** True when no allowedFlexVolumes are set, or the driver is one of them. */
    public boolean allowsFlexDriver(String driver) {
        return allowedFlexVolumes.isEmpty() || allowedFlexVolumes.contains(driver);
    }

    public List<String> getAllowedCSIDrivers() {
        return allowedCSIDrivers;
    }

    /** True when no allowedCSIDrivers are set (any inline CSI driver), or the driver is one of them. */
    public boolean allowsCsiDriver(String driver) {
        return allowedCSIDrivers.isEmpty() || allowedCSIDrivers.contains(driver);
    }

    public IdStrategy getRunAsUser() {
        return runAsUser;
    }

    /** The runAsGroup rule; RunAsAny when the policy sets none. */
    public IdStrategy getRunAsGroup() {
        return runAsGroup;
    }

    public IdStrategy getSupplementalGroups() {
        return supplementalGroups;
    }

    public IdStrategy getFsGroup() {
        return fsGroup;
    }

    public SeLinuxStrategy getSeLinux() {
        return seLinux;
    }

    public boolean isReadOnlyRootFilesystem() {
        return readOnlyRootFilesystem;
    }

    /** allowPrivilegeEscalation, true when unset. */
    public boolean isAllowPrivilegeEscalation() {
        return allowPrivilegeEscalation;
    }

    /** defaultAllowPrivilegeEscalation as written, or null. */
    public Boolean getDefaultAllowPrivilegeEscalation() {
        return defaultAllowPrivilegeEscalation;
    }

    public List<String> getAllowedCapabilities() {
        return allowedCapabilities;
    }

    /** True when allowedCapabilities holds {@code *}: any capability may be added. */
    public boolean isAllowsAllCapabilities() {
        return allowedCapabilities.contains("*");
    }

    public List<String> getDefaultAddCapabilities() {
        return defaultAddCapabilities;
    }

    public List<String> getRequiredDropCapabilities() {
        return requiredDropCapabilities;
    }

    /** The added capabilities neither allowed nor added by default (none when {@code *} is allowed). */
    public List<String> disallowedAdds(List<String> added) {
        if (isAllowsAllCapabilities()) {
            return List.of();
        }
        return added.stream().filter(c -> !containsCapability(allowedCapabilities, c) && !containsCapability(defaultAddCapabilities, c))
                .toList();
    }

    /** The required drops a drop list misses (none when {@code *} is allowed, as the API server skipped the check then). */
    public List<String> missingRequiredDrops(List<String> dropped) {
        if (isAllowsAllCapabilities()) {
            return List.of();
        }
        return requiredDropCapabilities.stream().filter(c -> !containsCapability(dropped, c))
                .toList();
    }

    /**
     * Capability names compare without case and without the {@code CAP_} prefix, as container
     * runtimes read them: {@code cap_sys_admin} is {@code SYS_ADMIN}.
     */
    public static String normalizeCapability(String c) {
        String u = c.strip().toUpperCase(Locale.ROOT);
        return u.startsWith("CAP_") ? u.substring(4) : u;
    }

    public static boolean containsCapability(List<String> list, String cap) {
        String n = normalizeCapability(cap);
        return list.stream().anyMatch(c -> normalizeCapability(c).equals(n));
    }

    public List<String> getAllowedUnsafeSysctls() {
        return allowedUnsafeSysctls;
    }

    public List<String> getForbiddenSysctls() {
        return forbiddenSysctls;
    }

    /**
     * Why a sysctl may not be set, or null when it may: a forbidden one never; a safe one unless
     * forbidden; any other only when allowedUnsafeSysctls matches it.
     */
    public String sysctlRefusal(String sysctl) {
        if (forbiddenSysctls.stream().anyMatch(p -> sysctlMatches(p, sysctl))) {
            return "sysctl " + sysctl + " is forbidden (forbiddenSysctls: " + String.join(", ", forbiddenSysctls) + ")";
        }
        if (SAFE_SYSCTLS.contains(sysctl)) {
            return null;
        }
        if (allowedUnsafeSysctls.stream().anyMatch(p -> sysctlMatches(p, sysctl))) {
            return null;
        }
        return "unsafe sysctl " + sysctl + " is not allowed (allowedUnsafeSysctls: "
                + (allowedUnsafeSysctls.isEmpty() ? "none" : String.join(", ", allowedUnsafeSysctls)) + ")";
    }

    static boolean sysctlMatches(String pattern, String sysctl) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith("*")) {
            return sysctl.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(sysctl);
    }

    private static boolean sysctlPatternsOverlap(String a, String b) {
        if (a.equals("*") || b.equals("*")) {
            return true;
        }
        String pa = a.endsWith("*") ? a.substring(0, a.length() - 1) : null;
        String pb = b.endsWith("*") ? b.substring(0, b.length() - 1) : null;
        if (pa == null && pb == null) {
            return a.equals(b);
        }
        if (pa != null && pb != null) {
            return pa.startsWith(pb) || pb.startsWith(pa);
        }
        return pa != null ? b.startsWith(pa) : a.startsWith(pb);
    }

    public List<String> getAllowedProcMountTypes() {
        return allowedProcMountTypes;
    }

    /** An unset procMount is Default, which is always allowed; any other must be listed. */
    public boolean allowsProcMount(String procMount) {
        if (procMount == null || procMount.isEmpty() || procMount.equals("Default")) {
            return true;
        }
        return allowedProcMountTypes.contains(procMount);
    }

    /** The runtimeClass rule, or null when the policy sets none (any RuntimeClass). */
    public RuntimeClassStrategy getRuntimeClass() {
        return runtimeClass;
    }

    public boolean allowsRuntimeClass(String runtimeClassName) {
        return runtimeClass == null || runtimeClass.allows(runtimeClassName);
    }

    @Override
    public String toString() {
        return "PodSecurityPolicy/" + name;
    }
}
