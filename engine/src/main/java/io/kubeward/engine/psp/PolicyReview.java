package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.kubeward.engine.SourceLocation;
import io.kubeward.engine.model.ContainerView;
import io.kubeward.engine.model.Subject;
import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kie.api.definition.rule.Rule;

/**
 * The fact the PodSecurityPolicy rules match: one policy and one pod, the pod as the policy
 * defaults it. The rules are generic over it (no rule per policy) and call {@link #refuse} for
 * each reason the policy refuses the pod:
 * <pre>
 * $r : PolicyReview( !policy.privileged )
 * $c : ContainerView( privileged ) from $r.pod.containers
 * then $r.refuse(drools.getRule(), $c, $c.path("securityContext.privileged"), "...");
 * </pre>
 * Paths are those of the original object; {@link #getPod()} is the defaulted copy (the original
 * itself when the policy sets nothing). One instance per evaluation; not shared between threads.
 */
public final class PolicyReview {

    /** A refusal with the rule and subject it came from, so a scan can report it as a finding. */
    record Refused(Rule rule, Subject subject, PolicyRefusal refusal) {
    }

    private final PodSecurityPolicyView policy;
    private final Workload original;
    private final PolicyDefaults.Defaulted defaulted;
    private final List<PodVolume> volumes;
    private final List<PodVolumeMount> volumeMounts;
    private final List<Refused> refused = new ArrayList<>();

    public PolicyReview(PodSecurityPolicyView policy, Workload original) {
        this.policy = policy;
        this.original = original;
        this.defaulted = PolicyDefaults.apply(policy, original);
        Workload pod = defaulted.pod();
        List<PodVolume> vs = new ArrayList<>();
        for (int i = 0; i < pod.getVolumes().size(); i++) {
            vs.add(new PodVolume(pod, i, pod.getVolumes().get(i)));
        }
        this.volumes = Collections.unmodifiableList(vs);
        List<PodVolumeMount> ms = new ArrayList<>();
        for (ContainerView c : pod.getContainers()) {
            List<VolumeMount> mounts = c.getContainer().getVolumeMounts() == null ? List.of() : c.getContainer().getVolumeMounts();
            for (int i = 0; i < mounts.size(); i++) {
                ms.add(new PodVolumeMount(c, i, mounts.get(i)));
            }
        }
        this.volumeMounts = Collections.unmodifiableList(ms);
    }

    public PodSecurityPolicyView getPolicy() {
        return policy;
    }

    /** The pod as given. */
    public Workload getOriginal() {
        return original;
    }

    /** The pod as the policy defaults it: what the rules check. */
    public Workload getPod() {
        return defaulted.pod();
    }

    /** The defaulted object (the original object when nothing was set). */
    public io.fabric8.kubernetes.api.model.HasMetadata getDefaultedObject() {
        return defaulted.object();
    }

    /** What the policy set on the pod; empty when it leaves the pod as it is. */
    public List<AppliedDefault> getDefaults() {
        return defaulted.defaults();
    }

    /** True when the policy changes the pod. */
    public boolean isChangesPod() {
        return defaulted.changed();
    }

    public List<PodVolume> getVolumes() {
        return volumes;
    }

    /** Every volume mount of every container of the defaulted pod. */
    public List<PodVolumeMount> getVolumeMounts() {
        return volumeMounts;
    }

    /** The pod's supplemental groups after defaulting; empty when unset. */
    public List<Long> getSupplementalGroups() {
        List<Long> g = getPod().getPodSecurityContext().getSupplementalGroups();
        return g == null ? List.of() : g;
    }

    /** The pod's fsGroup after defaulting, or null. */
    public Long getFsGroup() {
        return getPod().getPodSecurityContext().getFsGroup();
    }

    /** The pod's sysctls; empty when unset. */
    public List<Sysctl> getSysctls() {
        List<Sysctl> s = getPod().getPodSecurityContext().getSysctls();
        return s == null ? List.of() : s;
    }

    /** The path of one of the pod's sysctls. */
    public String sysctlPath(Sysctl sysctl) {
        return getPod().path("securityContext.sysctls[" + getSysctls().indexOf(sysctl) + "]");
    }

    /** The pod's runtimeClassName after defaulting, or null. */
    public String getRuntimeClassName() {
        String n = getPod().getSpec().getRuntimeClassName();
        return n == null || n.isEmpty() ? null : n;
    }

    /** Records that the policy refuses the pod: the rule, what is at fault, the field and why. */
    public void refuse(Rule rule, Subject subject, String path, String message) {
        Object id = rule.getMetaData().get("id");
        String ruleId = id == null ? rule.getName() : id.toString();
        SourceLocation where = original.getSource() == null ? null : original.getSource().locate(path);
        PolicyRefusal r = new PolicyRefusal(policy.getName(), ruleId, path, message, where);
        if (refused.stream().noneMatch(x -> x.refusal().equals(r))) {
            refused.add(new Refused(rule, subject, r));
        }
    }

    /** Why the policy refuses the pod, by field path; empty when it admits the pod. */
    public List<PolicyRefusal> getRefusals() {
        return refused.stream().map(Refused::refusal).sorted(ORDER).toList();
    }

    static final java.util.Comparator<PolicyRefusal> ORDER = java.util.Comparator.comparing(PolicyRefusal::path)
            .thenComparing(PolicyRefusal::rule).thenComparing(PolicyRefusal::message);

    List<Refused> refused() {
        return refused;
    }

    /** True when no rule refused the pod. Meaningful once the rules have run. */
    public boolean isAdmitted() {
        return refused.isEmpty();
    }

    @Override
    public String toString() {
        return policy + " on " + original;
    }
}
