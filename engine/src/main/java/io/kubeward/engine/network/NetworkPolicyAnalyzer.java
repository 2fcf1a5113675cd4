package io.kubeward.engine.network;

import io.kubeward.engine.InputObject;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Computes which workloads and external address ranges can connect, on which ports, under the
 * snapshot's NetworkPolicies (networking.k8s.io/v1), with the Kubernetes semantics:
 * <ul>
 *   <li>a pod is isolated in a direction only when a policy of its namespace selects it with that
 *       policy type; unisolated, it allows everything in that direction;</li>
 *   <li>a connection needs egress allowed at the source and ingress allowed at the destination;
 *       the rules of all selecting policies are ORed;</li>
 *   <li>peers by podSelector (policy's namespace), namespaceSelector, both (AND), or ipBlock with
 *       excepts (addresses outside the cluster only); no peers means every peer;</li>
 *   <li>ports by number, range (endPort) or name (resolved on each destination pod; a name the
 *       pod lacks allows nothing), protocol TCP unless given; no ports means every port.</li>
 * </ul>
 *
 * <pre>
 * Connectivity c = NetworkPolicyAnalyzer.analyze(objects);
 * c.connlist().forEach(System.out::println);
 * Explanation why = c.explain("default/frontend", "default/db", 5432, "TCP");
 * </pre>
 *
 * <p>Pods with equal namespace, labels and named ports form one class, and connectivity is
 * computed between classes, not pod pairs. Stateless and thread-safe.
 */
public final class NetworkPolicyAnalyzer {

    private NetworkPolicyAnalyzer() {
    }

    /**
     * Analyses a snapshot: Namespaces, NetworkPolicies and pod-running objects (Pod, Deployment,
     * ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController); other kinds are ignored.
     *
     * @throws NetworkPolicyValidationException listing every invalid field of every policy
     */
    public static Connectivity analyze(Collection<InputObject> objects) {
        NetworkModel model = NetworkModel.build(objects);
        int n = model.classes.size();
        List<IpRange> sources = model.sourceRanges;
        List<IpRange> destinations = model.destinationRanges;

        // egress allowed from class s to class d, then narrowed by ingress at d
        ConnectionSet[] pods = new ConnectionSet[n * n];
        ConnectionSet[] toExternal = new ConnectionSet[n * destinations.size()];
        for (PodClass s : model.classes) {
            List<CompiledPolicy> isolating = model.policies(Direction.EGRESS, s);
            if (isolating.isEmpty()) {
                Arrays.fill(pods, s.index * n, s.index * n + n, ConnectionSet.ALL);
                Arrays.fill(toExternal, s.index * destinations.size(), (s.index + 1) * destinations.size(), ConnectionSet.ALL);
                continue;
            }
            for (CompiledPolicy p : isolating) {
                for (CompiledRule r : p.egress) {
                    for (int d = r.matchedPods.nextSetBit(0); d >= 0; d = r.matchedPods.nextSetBit(d + 1)) {
                        int at = s.index * n + d;
                        ConnectionSet add = r.portsFor(model.classes.get(d));
                        pods[at] = pods[at] == null ? add : pods[at].union(add);
                    }
                    for (int e = r.matchedRanges.nextSetBit(0); e >= 0; e = r.matchedRanges.nextSetBit(e + 1)) {
                        int at = s.index * destinations.size() + e;
                        toExternal[at] = toExternal[at] == null ? r.unnamedPorts : toExternal[at].union(r.unnamedPorts);
                    }
                }
            }
        }

        ConnectionSet[] fromExternal = new ConnectionSet[sources.size() * n];
        ConnectionSet[] ingress = new ConnectionSet[n];
        for (PodClass d : model.classes) {
            List<CompiledPolicy> isolating = model.policies(Direction.INGRESS, d);
            if (isolating.isEmpty()) {
                for (int e = 0; e < sources.size(); e++) {
                    fromExternal[e * n + d.index] = ConnectionSet.ALL;
                }
                continue; // egress alone decides
            }
            Arrays.fill(ingress, null);
            for (CompiledPolicy p : isolating) {
                for (CompiledRule r : p.ingress) {
                    ConnectionSet add = r.portsFor(d);
                    for (int s = r.matchedPods.nextSetBit(0); s >= 0; s = r.matchedPods.nextSetBit(s + 1)) {
                        ingress[s] = ingress[s] == null ? add : ingress[s].union(add);
                    }
                    for (int e = r.matchedRanges.nextSetBit(0); e >= 0; e = r.matchedRanges.nextSetBit(e + 1)) {
                        int at = e * n + d.index;
                        fromExternal[at] = fromExternal[at] == null ? add : fromExternal[at].union(add);
                    }
                }
            }
            for (int s = 0; s < n; s++) {
                int at = s * n + d.index;
                pods[at] = pods[at] == null || ingress[s] == null ? ConnectionSet.NONE : pods[at].intersect(ingress[s]);
            }
        }
        return new Connectivity(model, orNone(pods), orNone(fromExternal), orNone(toExternal));
    }

    private static ConnectionSet[] orNone(ConnectionSet[] a) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null) {
                a[i] = ConnectionSet.NONE;
            }
        }
        return a;
    }
}
