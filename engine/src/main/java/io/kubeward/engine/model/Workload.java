package io.kubeward.engine.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Any object that runs pods, normalised to the pod spec it runs: a Pod, or the pod template of a
 * Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController or
 * PodTemplate. Keeps the owner's identity and the path of its pod spec so findings point at the
 * field of the original object. Null-free for rules: absent booleans are false, absent maps and
 * lists are empty.
 */
public final class Workload implements Subject {

    private final HasMetadata object;
    private final ResourceRef resource;
    private final Source source;
    private final String podSpecPath;
    private final PodSpec spec;
    private final Map<String, String> podLabels;
    private final Map<String, String> podAnnotations;
    private final Integer replicas;
    private final List<ContainerView> containers;
    private List<VolumeView> volumeViews;
    private List<FieldValue> sysctls;
    private List<FieldValue> podAnnotationFields;

    private Workload(HasMetadata object, Source source, String podSpecPath, PodSpec spec,
                     ObjectMeta podMeta, Integer replicas) {
        this.object = object;
        this.resource = ResourceRef.of(object);
        this.source = source;
        this.podSpecPath = podSpecPath;
        this.spec = spec == null ? new PodSpec() : spec;
        this.podLabels = podMeta == null || podMeta.getLabels() == null ? Map.of() : Collections.unmodifiableMap(podMeta.getLabels());
        this.podAnnotations = podMeta == null || podMeta.getAnnotations() == null ? Map.of() : Collections.unmodifiableMap(podMeta.getAnnotations());
        this.replicas = replicas;
        this.containers = Collections.unmodifiableList(buildContainers());
    }

    /** The workload an object runs, or empty when the object runs no pods. */
    public static Optional<Workload> of(HasMetadata object, Source source) {
        if (object instanceof Pod p) {
            return Optional.of(new Workload(p, source, "spec", p.getSpec(), p.getMetadata(), null));
        }
        if (object instanceof Deployment d && d.getSpec() != null) {
            return Optional.of(templated(d, source, d.getSpec().getTemplate(), replicasOrOne(d.getSpec().getReplicas())));
        }
        if (object instanceof ReplicaSet r && r.getSpec() != null) {
            return Optional.of(templated(r, source, r.getSpec().getTemplate(), replicasOrOne(r.getSpec().getReplicas())));
        }
        if (object instanceof StatefulSet s && s.getSpec() != null) {
            return Optional.of(templated(s, source, s.getSpec().getTemplate(), replicasOrOne(s.getSpec().getReplicas())));
        }
        if (object instanceof ReplicationController r && r.getSpec() != null) {
            return Optional.of(templated(r, source, r.getSpec().getTemplate(), replicasOrOne(r.getSpec().getReplicas())));
        }
        if (object instanceof DaemonSet ds && ds.getSpec() != null) {
            return Optional.of(templated(ds, source, ds.getSpec().getTemplate(), null));
        }
        if (object instanceof Job j && j.getSpec() != null) {
            return Optional.of(templated(j, source, j.getSpec().getTemplate(), parallelism(j.getSpec())));
        }
        if (object instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null
                && c.getSpec().getJobTemplate().getSpec() != null) {
            JobSpec js = c.getSpec().getJobTemplate().getSpec();
            PodTemplateSpec t = js.getTemplate();
            return Optional.of(new Workload(c, source, "spec.jobTemplate.spec.template.spec",
                    t == null ? null : t.getSpec(), t == null ? null : t.getMetadata(), parallelism(js)));
        }
        if (object instanceof PodTemplate pt) {
            PodTemplateSpec t = pt.getTemplate();
            return Optional.of(new Workload(pt, source, "template.spec",
                    t == null ? null : t.getSpec(), t == null ? null : t.getMetadata(), null));
        }
        return Optional.empty();
    }

    /** True for the kinds {@link #of} normalises. */
    public static boolean isWorkloadKind(String kind) {
        return switch (kind == null ? "" : kind) {
            case "Pod", "Deployment", "ReplicaSet", "StatefulSet", "ReplicationController", "DaemonSet",
                 "Job", "CronJob", "PodTemplate" -> true;
            default -> false;
        };
    }

    private static Workload templated(HasMetadata owner, Source source, PodTemplateSpec template, Integer replicas) {
        return new Workload(owner, source, "spec.template.spec",
                template == null ? null : template.getSpec(), template == null ? null : template.getMetadata(), replicas);
    }

    private static Integer replicasOrOne(Integer replicas) {
        return replicas == null ? 1 : replicas;
    }

    private static Integer parallelism(JobSpec spec) {
        return spec.getParallelism() == null ? 1 : spec.getParallelism();
    }

    private List<ContainerView> buildContainers() {
        List<ContainerView> out = new ArrayList<>();
        List<Container> main = spec.getContainers() == null ? List.of() : spec.getContainers();
        for (int i = 0; i < main.size(); i++) {
            out.add(new ContainerView(this, ContainerKind.CONTAINER, i, main.get(i)));
        }
        List<Container> init = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        for (int i = 0; i < init.size(); i++) {
            out.add(new ContainerView(this, ContainerKind.INIT, i, init.get(i)));
        }
        List<EphemeralContainer> eph = spec.getEphemeralContainers() == null ? List.of() : spec.getEphemeralContainers();
        for (int i = 0; i < eph.size(); i++) {
            out.add(new ContainerView(this, ContainerKind.EPHEMERAL, i, ContainerView.asContainer(eph.get(i))));
        }
        return out;
    }

    /** The full path of a field of the pod spec, e.g. {@code path("hostNetwork")} → {@code spec.template.spec.hostNetwork}. */
    public String path(String field) {
        return field == null || field.isEmpty() ? podSpecPath : podSpecPath + "." + field;
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

    public String getKind() {
        return resource.kind();
    }

    public String getNamespace() {
        return resource.namespace();
    }

    public String getName() {
        return resource.name();
    }

    public Map<String, String> getLabels() {
        Map<String, String> l = object.getMetadata() == null ? null : object.getMetadata().getLabels();
        return l == null ? Map.of() : Collections.unmodifiableMap(l);
    }

    public Map<String, String> getAnnotations() {
        Map<String, String> a = object.getMetadata() == null ? null : object.getMetadata().getAnnotations();
        return a == null ? Map.of() : Collections.unmodifiableMap(a);
    }

    /** Labels of the pods it runs (the template's, or the Pod's own). */
    public Map<String, String> getPodLabels() {
        return podLabels;
    }

    /** Annotations of the pods it runs (the template's, or the Pod's own). */
    public Map<String, String> getPodAnnotations() {
        return podAnnotations;
    }

    public String getPodSpecPath() {
        return podSpecPath;
    }

    public PodSpec getSpec() {
        return spec;
    }

    /** The pod-level security context; an empty one when unset. */
    public PodSecurityContext getPodSecurityContext() {
        PodSecurityContext psc = podSecurityContext;
        if (psc == null) {
            // an empty one stands for none; made once, as rules ask for it many times per pod
            psc = spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
            podSecurityContext = psc;
        }
        return psc;
    }

    private PodSecurityContext podSecurityContext;

    public List<ContainerView> getContainers() {
        return containers;
    }

    public List<Volume> getVolumes() {
        return spec.getVolumes() == null ? List.of() : spec.getVolumes();
    }

    /** Each volume with the kind of source it uses; see {@link VolumeView}. */
    public List<VolumeView> getVolumeSources() {
        if (volumeViews == null) {
            List<Volume> vs = getVolumes();
            List<VolumeView> out = new ArrayList<>(vs.size());
            for (int i = 0; i < vs.size(); i++) {
                out.add(new VolumeView(this, i, vs.get(i)));
            }
            volumeViews = Collections.unmodifiableList(out);
        }
        return volumeViews;
    }

    /**
     * The pod's sysctls ({@code securityContext.sysctls}): name is the sysctl, value its value,
     * path the {@code name} field of the entry.
     */
    public List<FieldValue> getSysctls() {
        if (sysctls == null) {
            List<Sysctl> raw = spec.getSecurityContext() == null || spec.getSecurityContext().getSysctls() == null
                    ? List.of() : spec.getSecurityContext().getSysctls();
            List<FieldValue> out = new ArrayList<>(raw.size());
            for (int i = 0; i < raw.size(); i++) {
                Sysctl s = raw.get(i);
                out.add(new FieldValue(path("securityContext.sysctls[" + i + "].name"), s == null ? "" : s.getName(),
                        s == null ? "" : s.getValue()));
            }
            sysctls = Collections.unmodifiableList(out);
        }
        return sysctls;
    }

    /** The pod's annotations as entries; the path of each is {@code <pod metadata>.annotations.<key>}. */
    public List<FieldValue> getPodAnnotationFields() {
        if (podAnnotationFields == null) {
            List<FieldValue> out = new ArrayList<>(podAnnotations.size());
            podAnnotations.forEach((k, v) -> out.add(new FieldValue(podMetadataPath("annotations." + k), k, v)));
            podAnnotationFields = Collections.unmodifiableList(out);
        }
        return podAnnotationFields;
    }

    /** True when a pod annotation's key starts with the prefix. */
    public boolean hasPodAnnotationWithPrefix(String keyPrefix) {
        for (String key : podAnnotations.keySet()) {
            if (key.startsWith(keyPrefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pod's annotations whose key starts with a prefix, as entries (most pods carry many
     * annotations and rules look for one family, such as the AppArmor or seccomp keys).
     */
    public List<FieldValue> getPodAnnotationFields(String keyPrefix) {
        List<FieldValue> out = null;
        for (Map.Entry<String, String> a : podAnnotations.entrySet()) {
            if (a.getKey().startsWith(keyPrefix)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(new FieldValue(podMetadataPath("annotations." + a.getKey()), a.getKey(), a.getValue()));
            }
        }
        return out == null ? List.of() : Collections.unmodifiableList(out);
    }

    /**
     * The full path of a field of the pods' metadata: {@code metadata.<field>} for a Pod,
     * {@code spec.template.metadata.<field>} for a Deployment.
     */
    public String podMetadataPath(String field) {
        String base = podSpecPath.endsWith("spec")
                ? podSpecPath.substring(0, podSpecPath.length() - "spec".length()) + "metadata"
                : "metadata";
        return field == null || field.isEmpty() ? base : base + "." + field;
    }

    /** {@code spec.os.name}, or "" when unset. */
    public String getOsName() {
        return spec.getOs() == null || spec.getOs().getName() == null ? "" : spec.getOs().getName();
    }

    /** True when the pod declares {@code spec.os.name: windows}. */
    public boolean isWindows() {
        return "windows".equals(getOsName());
    }

    /**
     * True when the pod asks for a user namespace of its own ({@code spec.hostUsers: false}); unset
     * means the node's user namespace.
     */
    public boolean isUserNamespaced() {
        return Boolean.FALSE.equals(spec.getHostUsers());
    }

    public boolean isHostNetwork() {
        return Boolean.TRUE.equals(spec.getHostNetwork());
    }

    public boolean isHostPID() {
        return Boolean.TRUE.equals(spec.getHostPID());
    }

    public boolean isHostIPC() {
        return Boolean.TRUE.equals(spec.getHostIPC());
    }

    public String getNodeName() {
        return spec.getNodeName() == null || spec.getNodeName().isEmpty() ? null : spec.getNodeName();
    }

    public Map<String, String> getNodeSelector() {
        return spec.getNodeSelector() == null ? Map.of() : spec.getNodeSelector();
    }

    public String getServiceAccountName() {
        String sa = spec.getServiceAccountName();
        return sa == null || sa.isEmpty() ? "default" : sa;
    }

    public boolean isDaemonSet() {
        return "DaemonSet".equals(resource.kind());
    }

    /**
     * How many pods of it may run at once: replicas for Deployment, ReplicaSet, StatefulSet and
     * ReplicationController, parallelism for Job and CronJob, 1 for a Pod or PodTemplate. For a
     * DaemonSet it is one pod per selected node, and this returns 0.
     */
    public int getReplicas() {
        if (isDaemonSet()) {
            return 0;
        }
        return replicas == null ? 1 : replicas;
    }

    /** True when several pods of it may run at once on different nodes (not DaemonSets). */
    public boolean isReplicated() {
        return !isDaemonSet() && getReplicas() > 1;
    }

    @Override
    public String toString() {
        return resource.display();
    }
}
