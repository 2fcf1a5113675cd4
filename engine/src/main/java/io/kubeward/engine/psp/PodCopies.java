package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

/** Deep copies of the objects that run pods, and the pod spec inside them, so a copy can be defaulted. */
final class PodCopies {

    private PodCopies() {
    }

    /** A deep copy (fabric8 builders copy every nested object). */
    static HasMetadata copy(HasMetadata o) {
        if (o instanceof Pod p) {
            return new PodBuilder(p).build();
        }
        if (o instanceof Deployment d) {
            return new DeploymentBuilder(d).build();
        }
        if (o instanceof ReplicaSet r) {
            return new ReplicaSetBuilder(r).build();
        }
        if (o instanceof StatefulSet s) {
            return new StatefulSetBuilder(s).build();
        }
        if (o instanceof ReplicationController r) {
            return new ReplicationControllerBuilder(r).build();
        }
        if (o instanceof DaemonSet d) {
            return new DaemonSetBuilder(d).build();
        }
        if (o instanceof Job j) {
            return new JobBuilder(j).build();
        }
        if (o instanceof CronJob c) {
            return new CronJobBuilder(c).build();
        }
        if (o instanceof PodTemplate t) {
            return new PodTemplateBuilder(t).build();
        }
        throw new IllegalArgumentException(o.getKind() + " does not run pods");
    }

    /**
     * The pod spec of an object, created where it is missing but its owner exists (a template
     * without a spec); null when there is nowhere to put one.
     */
    static PodSpec podSpec(HasMetadata o) {
        if (o instanceof Pod p) {
            if (p.getSpec() == null) {
                p.setSpec(new PodSpec());
            }
            return p.getSpec();
        }
        if (o instanceof Deployment d) {
            return d.getSpec() == null ? null : ofTemplate(d.getSpec().getTemplate());
        }
        if (o instanceof ReplicaSet r) {
            return r.getSpec() == null ? null : ofTemplate(r.getSpec().getTemplate());
        }
        if (o instanceof StatefulSet s) {
            return s.getSpec() == null ? null : ofTemplate(s.getSpec().getTemplate());
        }
        if (o instanceof ReplicationController r) {
            return r.getSpec() == null ? null : ofTemplate(r.getSpec().getTemplate());
        }
        if (o instanceof DaemonSet d) {
            return d.getSpec() == null ? null : ofTemplate(d.getSpec().getTemplate());
        }
        if (o instanceof Job j) {
            return j.getSpec() == null ? null : ofTemplate(j.getSpec().getTemplate());
        }
        if (o instanceof CronJob c) {
            return c.getSpec() == null || c.getSpec().getJobTemplate() == null || c.getSpec().getJobTemplate().getSpec() == null
                    ? null : ofTemplate(c.getSpec().getJobTemplate().getSpec().getTemplate());
        }
        if (o instanceof PodTemplate t) {
            return ofTemplate(t.getTemplate());
        }
        return null;
    }

    private static PodSpec ofTemplate(PodTemplateSpec t) {
        if (t == null) {
            return null;
        }
        if (t.getSpec() == null) {
            t.setSpec(new PodSpec());
        }
        return t.getSpec();
    }
}
