package io.kubeward.benchmarks;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.kubeward.engine.InputObject;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The input of the rule-pack throughput benchmarks: namespaces of {@value #PODS_PER_BATCH}
 * Deployments each (from {@link PodTemplates}: half hardened, half with one to three violations),
 * every namespace evaluated as one snapshot with what a real one holds beside its workloads: the
 * Namespace, four NetworkPolicies (default deny, DNS, same-namespace and monitoring ingress), a
 * Service per ten Deployments (every fifth a NodePort) and the cluster's two PodSecurityPolicies.
 * {@link #forPack} keeps of each batch what a pack reads: the pod-level packs see the Deployments
 * alone, the network pack the Deployments, Namespace, policies and Services, the PodSecurityPolicy
 * pack the Deployments and the two policies, all rules everything. (The engine prepares network
 * and PodSecurityPolicy facts whenever such objects are in the input, whichever rules it holds.)
 */
final class PodBatches {

    /** Pods (Deployments) per evaluation: how an embedding service should batch them. */
    static final int PODS_PER_BATCH = 100;

    private PodBatches() {
    }

    /** {@code pods} Deployments (a multiple of {@value #PODS_PER_BATCH}) in batches of one namespace each. */
    static List<List<InputObject>> generate(int pods) {
        if (pods <= 0 || pods % PODS_PER_BATCH != 0) {
            throw new IllegalArgumentException("pods must be a positive multiple of " + PODS_PER_BATCH + ", not " + pods);
        }
        List<InputObject> deployments = PodTemplates.generate(pods, 42, i -> namespace(i / PODS_PER_BATCH));
        List<InputObject> policies = podSecurityPolicies();
        List<List<InputObject>> batches = new ArrayList<>();
        for (int b = 0; b < pods / PODS_PER_BATCH; b++) {
            String ns = namespace(b);
            List<InputObject> batch = new ArrayList<>();
            batch.add(InputObject.of(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .withLabels(Map.of("kubernetes.io/metadata.name", ns, "team", "team-" + b % 10)).endMetadata().build()));
            batch.addAll(networkPolicies(ns));
            List<InputObject> apps = deployments.subList(b * PODS_PER_BATCH, (b + 1) * PODS_PER_BATCH);
            batch.addAll(apps);
            for (int s = 0; s < apps.size(); s += 10) {
                String app = apps.get(s).object().getMetadata().getName();
                ServiceBuilder svc = new ServiceBuilder().withNewMetadata().withName(app).withNamespace(ns).endMetadata()
                        .withNewSpec().addToSelector("app", app)
                        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec();
                if (s % 50 == 0) {
                    svc.editSpec().withType("NodePort").editFirstPort().withNodePort(30000 + b % 2700).endPort().endSpec();
                }
                batch.add(InputObject.of(svc.build()));
            }
            batch.addAll(policies);
            batches.add(List.copyOf(batch));
        }
        return batches;
    }

    /** The batches of {@link #generate}, each with only the kinds {@code pack} reads (see the class comment). */
    static List<List<InputObject>> forPack(String pack, int pods) {
        Set<String> kinds = switch (pack) {
            case "network" -> Set.of("Deployment", "Namespace", "NetworkPolicy", "Service");
            case "pod-security-policy" -> Set.of("Deployment", "PodSecurityPolicy");
            case RulePacks.ALL -> null;
            default -> Set.of("Deployment");
        };
        List<List<InputObject>> out = new ArrayList<>();
        for (List<InputObject> batch : generate(pods)) {
            out.add(kinds == null ? batch : batch.stream().filter(o -> kinds.contains(o.object().getKind())).toList());
        }
        return out;
    }

    static List<InputObject> flatten(List<List<InputObject>> batches) {
        return batches.stream().flatMap(List::stream).toList();
    }

    private static String namespace(int batch) {
        return "team-" + batch;
    }

    private static List<InputObject> networkPolicies(String ns) {
        LabelSelector all = new LabelSelector();
        return List.of(
                InputObject.of(new NetworkPolicyBuilder().withNewMetadata().withName("default-deny").withNamespace(ns).endMetadata()
                        .withNewSpec().withPodSelector(all).withPolicyTypes("Ingress", "Egress").endSpec().build()),
                InputObject.of(new NetworkPolicyBuilder().withNewMetadata().withName("allow-dns").withNamespace(ns).endMetadata()
                        .withNewSpec().withPodSelector(all).withPolicyTypes("Egress")
                        .addNewEgress().addNewTo().withNamespaceSelector(new LabelSelectorBuilder()
                                .addToMatchLabels("kubernetes.io/metadata.name", "kube-system").build()).endTo()
                        .addToPorts(new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(53)).build())
                        .addToPorts(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(53)).build())
                        .endEgress().endSpec().build()),
                InputObject.of(new NetworkPolicyBuilder().withNewMetadata().withName("allow-same-namespace").withNamespace(ns).endMetadata()
                        .withNewSpec().withPodSelector(all).withPolicyTypes("Ingress")
                        .addNewIngress().addNewFrom().withPodSelector(all).endFrom()
                        .addToPorts(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString("http")).build())
                        .endIngress().endSpec().build()),
                InputObject.of(new NetworkPolicyBuilder().withNewMetadata().withName("allow-monitoring").withNamespace(ns).endMetadata()
                        .withNewSpec().withPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "app-0").build())
                        .withPolicyTypes("Ingress")
                        .addNewIngress().addNewFrom().withNamespaceSelector(new LabelSelectorBuilder()
                                .addToMatchLabels("kubernetes.io/metadata.name", "monitoring").build()).endFrom()
                        .addToPorts(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(9090)).build())
                        .endIngress().endSpec().build()));
    }

    /** The two PodSecurityPolicies of {@code pod-security-policies.yaml}, read as a scan reads them. */
    static List<InputObject> podSecurityPolicies() {
        String name = "pod-security-policies.yaml";
        try (InputStream in = PodBatches.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the benchmark's resources");
            }
            ReadResult read = new ManifestReader().read(name, in);
            if (!read.errors().isEmpty()) {
                throw new IllegalStateException(name + ": " + read.errors());
            }
            return read.objects();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
