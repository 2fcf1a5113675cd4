package io.kubeward.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.kubeward.engine.ResourceRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnerFoldingTest {

    private static <T extends HasMetadata> T withUid(T o, String uid) {
        o.getMetadata().setUid(uid);
        return o;
    }

    private static List<String> names(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    @Test
    void podsAndReplicaSetsFoldIntoTheirDeployment() {
        Deployment d = withUid(ClusterFixtures.kubiaDeployment("default", 2, 9000), "d-1");
        ReplicaSet current = withUid(ClusterFixtures.replicaSetOf(d, "kubia-new"), "rs-new");
        ReplicaSet old = withUid(ClusterFixtures.replicaSetOf(d, "kubia-old"), "rs-old");
        old.getSpec().setReplicas(0);
        Pod a = ClusterFixtures.podOf(current, d.getSpec().getTemplate().getSpec(), Map.of(), "kubia-new-a", "node-1");
        Pod b = ClusterFixtures.podOf(current, d.getSpec().getTemplate().getSpec(), Map.of(), "kubia-new-b", null);
        Pod bare = ClusterFixtures.kubiaHostPortPod("default");

        OwnerFolding.Folded f = OwnerFolding.fold(List.of(d, current, old, a, b, bare));

        assertEquals(List.of("Deployment/kubia", "Pod/kubia-hostport"), names(f.kept()));
        assertEquals(Map.of(ResourceRef.of(d), 2), f.podsPerOwner());
        assertEquals(2, f.podsFolded());
        assertEquals(2, f.foldedOthers());
    }

    @Test
    void jobPodsFoldIntoTheCronJobAndFinishedPodsAreNotCounted() {
        CronJob cron = withUid(new CronJobBuilder().withNewMetadata().withName("backup").withNamespace("ops").endMetadata()
                .withNewSpec().withSchedule("0 * * * *").withNewJobTemplate().withNewSpec()
                .withTemplate(ClusterFixtures.kubiaDeployment("ops", 1, 0).getSpec().getTemplate())
                .endSpec().endJobTemplate().endSpec().build(), "cron-1");
        Job job = withUid(new JobBuilder().withNewMetadata().withName("backup-1").withNamespace("ops")
                .withOwnerReferences(ClusterFixtures.controllerRef(cron)).endMetadata()
                .withNewSpec().withTemplate(cron.getSpec().getJobTemplate().getSpec().getTemplate()).endSpec().build(), "job-1");
        Pod running = ClusterFixtures.podOf(job, job.getSpec().getTemplate().getSpec(), Map.of(), "backup-1-x", "node-1");
        Pod done = ClusterFixtures.podOf(job, job.getSpec().getTemplate().getSpec(), Map.of(), "backup-1-y", "node-1");
        done.setStatus(new PodStatusBuilder().withPhase("Succeeded").build());

        OwnerFolding.Folded f = OwnerFolding.fold(List.of(cron, job, running, done));

        assertEquals(List.of("CronJob/backup"), names(f.kept()));
        assertEquals(1, f.podsPerOwner().get(ResourceRef.of(cron)));
        assertEquals(2, f.podsFolded());
    }

    @Test
    void podsWhoseControllerIsMissingOrAnotherObjectStayAsThemselves() {
        Deployment d = withUid(ClusterFixtures.kubiaDeployment("default", 2, 9000), "d-2");
        // owned by a ReplicaSet outside the snapshot (a label selector that picked the pod only)
        Pod orphan = ClusterFixtures.podOf(withUid(ClusterFixtures.replicaSetOf(d, "kubia-gone"), "rs-gone"),
                d.getSpec().getTemplate().getSpec(), Map.of(), "kubia-gone-a", "node-1");
        // a static pod's mirror: its controller is the Node
        Pod mirror = ClusterFixtures.hostNetworkPod("kube-system");
        mirror.getMetadata().setName("kube-apiserver-node-1");
        mirror.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                .withName("node-1").withUid("node-uid").withController(true).build()));
        // a pod of an earlier Deployment of the same name (another uid)
        Deployment earlier = withUid(ClusterFixtures.kubiaDeployment("default", 2, 9000), "d-earlier");
        Pod stale = ClusterFixtures.podOf(earlier, d.getSpec().getTemplate().getSpec(), Map.of(), "kubia-stale", "node-1");

        OwnerFolding.Folded f = OwnerFolding.fold(List.of(d, orphan, mirror, stale));

        assertEquals(List.of("Deployment/kubia", "Pod/kubia-gone-a", "Pod/kube-apiserver-node-1", "Pod/kubia-stale"), names(f.kept()));
        assertEquals(0, f.podsPerOwner().get(ResourceRef.of(d)));
        assertEquals(0, f.podsFolded());
    }

    @Test
    void anOwnerCycleDoesNotLoop() {
        Deployment d = withUid(ClusterFixtures.kubiaDeployment("default", 1, 0), "d-3");
        ReplicaSet rs = withUid(ClusterFixtures.replicaSetOf(d, "kubia-rs"), "rs-3");
        d.getMetadata().setOwnerReferences(List.of(ClusterFixtures.controllerRef(rs)));

        OwnerFolding.Folded f = OwnerFolding.fold(List.of(d, rs));

        assertTrue(f.kept().size() <= 1, "one of the two stands for both, and folding ends");
    }
}
