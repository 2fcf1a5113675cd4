package io.kubeward.benchmarks;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.network.Connectivity;
import io.kubeward.engine.network.NetworkPolicyAnalyzer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scale benchmark of {@link NetworkPolicyAnalyzer}: a synthetic cluster of 100 namespaces whose pods
 * (5 replicas per ReplicaSet, so one pod class per ReplicaSet) are governed by 1,000 policies, ten
 * per namespace: default deny, DNS, per-tier ingress and egress with pod, namespace, combined and
 * ipBlock peers, named ports, port ranges and matchExpressions. For each size it times the
 * analysis, the list of connected pairs and the connlist text (median of the runs), and records the
 * heap the result keeps and the peak heap. Warms up first.
 *
 * <pre>
 * java -Xmx2g -jar benchmarks/target/kubeward-benchmarks-*-all.jar network [--open] [--runs 3] [--figures FILE] [pods...]
 * </pre>
 * Sizes default to 1,000, 5,000 and 10,000 pods. With {@code --open} there are no policies: every
 * pair connects and the connlist is as large as it gets.
 */
public final class NetworkBenchmark {

    static final String AREA = "Network reachability";
    static final int NAMESPACES = 100;
    static final int REPLICAS = 5;
    static final String[] TIERS = {"web", "api", "db", "cache", "worker"};

    /** Without any policy: every pair connects, the largest connlist (the costly case for output). */
    static boolean open;

    public static void main(String[] args) {
        List<String> a = new ArrayList<>(List.of(args));
        open = a.remove("--open");
        Path figures = CommandArgs.take(a, "--figures").map(Path::of).orElse(null);
        int runs = CommandArgs.take(a, "--runs").map(v -> CommandArgs.positive("--runs", v)).orElse(3);
        int[] sizes = a.isEmpty() ? new int[] {1_000, 5_000, 10_000}
                : a.stream().mapToInt(v -> CommandArgs.positive("pods", v)).toArray();
        System.out.println("warming up...");
        List<InputObject> warm = cluster(1_000);
        for (int i = 0; i < 5; i++) {
            NetworkPolicyAnalyzer.analyze(warm).connlist();
        }
        System.out.printf(Locale.ROOT, "%7s %4s %8s %7s %6s %6s %9s %10s %8s %11s %8s %12s %9s%n", "pods", "ns", "policies",
                "classes", "peers", "ranges", "lines", "analyse ms", "pairs ms", "connlist ms", "total ms", "retained MiB", "peak MiB");
        List<Figure> out = new ArrayList<>();
        for (int pods : sizes) {
            List<InputObject> input = cluster(pods);
            long policies = input.stream().filter(o -> o.object().getKind().equals("NetworkPolicy")).count();
            double[] totals = new double[runs];
            double peak = 0;
            for (int run = 0; run < runs; run++) {
                double base = HeapWatch.liveMiB();
                try (HeapWatch heap = HeapWatch.start()) {
                    long t0 = System.nanoTime();
                    Connectivity c = NetworkPolicyAnalyzer.analyze(input);
                    long t1 = System.nanoTime();
                    int pairs = c.connections().size();
                    long t2 = System.nanoTime();
                    int lines = c.connlist().size();
                    long t3 = System.nanoTime();
                    if (lines != pairs) {
                        throw new IllegalStateException(lines + " lines for " + pairs + " pairs");
                    }
                    if (c.workloads().isEmpty()) {
                        throw new IllegalStateException("no workloads");
                    }
                    peak = Math.max(peak, heap.peakMiB());
                    totals[run] = (t3 - t0) / 1e9;
                    double retained = HeapWatch.liveMiB() - base;
                    System.out.printf(Locale.ROOT, "%7d %4d %8d %7d %6d %6d %9d %10.0f %8.0f %11.0f %8.0f %12.1f %9.1f%n", pods,
                            NAMESPACES, policies, c.podClassCount(), c.workloads().size(),
                            c.externalSources().size() + c.externalDestinations().size(), lines, (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                            (t3 - t2) / 1e6, (t3 - t0) / 1e6, retained, heap.peakMiB());
                }
            }
            String size = String.format(Locale.ROOT, "%,d pods%s", pods, open ? " without policies" : "");
            out.add(new Figure(AREA, size + ": analysis and connlist", PodSecurityBenchmark.median(totals), "s",
                    String.format(Locale.ROOT, "median of %d, %,d policies", runs, policies)));
            out.add(new Figure(AREA, size + ": peak heap", peak, "MiB", "-Xmx" + Math.round(HeapWatch.maxHeapMiB()) + "m"));
        }
        System.out.println("max heap " + Math.round(HeapWatch.maxHeapMiB()) + " MiB. analyse: NetworkPolicyAnalyzer.analyze; "
                + "pairs: Connectivity.connections(), every connected pair; connlist: the text lines; retained: heap the "
                + "Connectivity keeps after GC (its connections included); peak: highest heap use (input objects included)");
        Figure.append(figures, out);
    }

    /** {@code pods} pods in {@link #NAMESPACES} namespaces, each namespace with the ten policies of {@link #policies}. */
    static List<InputObject> cluster(int pods) {
        List<InputObject> out = new ArrayList<>();
        int owners = pods / REPLICAS;
        int ownersPerNamespace = Math.max(1, owners / NAMESPACES);
        for (int n = 0; n < NAMESPACES; n++) {
            String ns = "ns-" + n;
            out.add(InputObject.of(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .withLabels(Map.of("env", n % 3 == 0 ? "prod" : n % 3 == 1 ? "dev" : "staging", "team", "team-" + n % 10))
                    .endMetadata().build()));
            for (int o = 0; o < ownersPerNamespace; o++) {
                String tier = TIERS[o % TIERS.length];
                String owner = tier + "-" + o + "-5d8f";
                for (int r = 0; r < REPLICAS; r++) {
                    out.add(InputObject.of(pod(ns, owner, owner + "-" + r, tier, o)));
                }
            }
            for (HasMetadata policy : policies(n, ns)) {
                if (!open) {
                    out.add(InputObject.of(policy));
                }
            }
        }
        return out;
    }

    private static HasMetadata pod(String ns, String owner, String name, String tier, int o) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .withLabels(Map.of("app", owner, "tier", tier, "version", "v" + o % 3))
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(owner).withUid(owner)
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("example/" + tier)
                .addNewPort().withName("http").withContainerPort(8080 + o % 4).endPort()
                .addNewPort().withName("metrics").withContainerPort(9090).endPort()
                .addNewPort().withName("dns").withContainerPort(53).withProtocol("UDP").endPort()
                .endContainer().endSpec().build();
    }

    private static LabelSelector labels(String... kv) {
        LabelSelectorBuilder b = new LabelSelectorBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            b.addToMatchLabels(kv[i], kv[i + 1]);
        }
        return b.build();
    }

    private static NetworkPolicyPort port(Object port, String protocol) {
        NetworkPolicyPortBuilder b = new NetworkPolicyPortBuilder().withProtocol(protocol);
        if (port instanceof Integer i) {
            b.withPort(new IntOrString(i));
        } else if (port != null) {
            b.withPort(new IntOrString((String) port));
        }
        return b.build();
    }

    private static NetworkPolicyPeer pods(LabelSelector pods) {
        return new NetworkPolicyPeerBuilder().withPodSelector(pods).build();
    }

    private static NetworkPolicyPeer namespaces(LabelSelector namespaces, LabelSelector pods) {
        return new NetworkPolicyPeerBuilder().withNamespaceSelector(namespaces).withPodSelector(pods).build();
    }

    private static NetworkPolicyPeer block(String cidr, String... except) {
        return new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).withExcept(except).endIpBlock().build();
    }

    /** The ten policies of namespace {@code n}. */
    private static List<HasMetadata> policies(int n, String ns) {
        List<HasMetadata> out = new ArrayList<>();
        out.add(new NetworkPolicyBuilder().withNewMetadata().withName("default-deny").withNamespace(ns).endMetadata()
                .withNewSpec().withPodSelector(new LabelSelector()).withPolicyTypes("Ingress", "Egress").endSpec().build());
        out.add(new NetworkPolicyBuilder().withNewMetadata().withName("allow-dns").withNamespace(ns).endMetadata()
                .withNewSpec().withPodSelector(new LabelSelector()).withPolicyTypes("Egress")
                .addNewEgress().withTo(namespaces(labels("kubernetes.io/metadata.name", "ns-0"), labels("tier", "cache")))
                .withPorts(port(53, "UDP"), port(53, "TCP")).endEgress().endSpec().build());
        out.add(new NetworkPolicyBuilder().withNewMetadata().withName("web-in").withNamespace(ns).endMetadata()
                .withNewSpec().withPodSelector(labels("tier", "web"))
                .addNewIngress().withFrom(block("0.0.0.0/0", "10.0.0.0/8", "172.16.0.0/12")).withPorts(port("http", "TCP")).endIngress()
                .addNewIngress().withFrom(namespaces(labels("env", "prod"), null)).withPorts(port(9090, "TCP")).endIngress()
                .endSpec().build());
        out.add(new NetworkPolicyBuilder().withNewMetadata().withName("api-in").withNamespace(ns).endMetadata()
                .withNewSpec().withPodSelector(labels("tier", "api"))
                .addNewIngress().withFrom(pods(labels("tier", "web"))).withPorts(port("http", "TCP")).endIngress().endSpec().build());
        out.add(new NetworkPolicyBuilder().withNewMetadata().withName("api-out").withNamespace(ns).endMetadata()
                .withNewSpec().withPodSelector(labels("tier", "api")).withPolicyTypes("Egress")
                .addNewEgress().withTo(pods(labels("tier", "db"))).withPorts(port(5432, "TCP")).endEgress()
                .addNewEgress().withTo(block("10." + n + ".0.0/16")).withPorts(new NetworkPolicyPortBuilder()
                        .withPort(new IntOrString(8000)).withEndPort(8100).build()).endEgress()
                .endSpec().build());
        out.add(new NetworkPolicyBuilder().withNewMetadata().withName("db-in").withNamespace(ns).endMetadata()
                .withNewSpec().withPodSelector(labels("tier", "db"))
                .addNewIngress().withFrom(pods(labels("tier", "api"))).withPorts(port(5432, "TCP")).endIngress()
                .addNewIngress().withFrom(namespaces(labels("team", "team-" + n % 10), labels("tier", "worker")))
                .withPorts(port(5432, "TCP")).endIngress().endSpec().build());
        out.add(new NetworkPolicyBuilder().withNewMetadata().withName("worker-out").withNamespace(ns).endMetadata()
                .withNewSpec().withPodSelector(labels("tier", "worker")).withPolicyTypes("Egress")
                .addNewEgress().withTo(namespaces(new LabelSelectorBuilder().addNewMatchExpression().withKey("env")
                        .withOperator("In").withValues("prod", "staging").endMatchExpression().build(), labels("tier", "db")))
                .withPorts(port(5432, "TCP")).endEgress().endSpec().build());
        out.add(new NetworkPolicyBuilder().withNewMetadata().withName("cache-in").withNamespace(ns).endMetadata()
                .withNewSpec().withPodSelector(labels("tier", "cache"))
                .addNewIngress().withFrom(namespaces(new LabelSelector(), null)).withPorts(port(53, "UDP"), port(53, "TCP"), port(6379, "TCP"))
                .endIngress().endSpec().build());
        out.add(new NetworkPolicyBuilder().withNewMetadata().withName("metrics").withNamespace(ns).endMetadata()
                .withNewSpec().withPodSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("tier")
                        .withOperator("NotIn").withValues("db").endMatchExpression().build())
                .addNewIngress().withFrom(namespaces(labels("kubernetes.io/metadata.name", "ns-" + (n + 1) % NAMESPACES), null))
                .withPorts(port("metrics", "TCP")).endIngress().endSpec().build());
        out.add(new NetworkPolicyBuilder().withNewMetadata().withName("canary").withNamespace(ns).endMetadata()
                .withNewSpec().withPodSelector(labels("version", "v2"))
                .addNewIngress().withFrom(pods(new LabelSelectorBuilder().addNewMatchExpression().withKey("version")
                        .withOperator("Exists").endMatchExpression().build())).endIngress()
                .addNewEgress().withTo(block("192.168." + n + ".0/24")).endEgress().endSpec().build());
        return out;
    }

    private NetworkBenchmark() {
    }
}
