package io.kubeward.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeward.engine.network.Connection;
import io.kubeward.engine.network.Connectivity;
import io.kubeward.engine.network.Explanation;
import io.kubeward.engine.network.IpRange;
import io.kubeward.engine.network.NetworkPolicyAnalyzer;
import io.kubeward.engine.network.Peer;
import io.kubeward.engine.network.Protocol;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The network benchmark's synthetic cluster, small: the class-level matrix agrees with
 * {@link Connectivity#explain}, which decides each question from the policies' rules directly (so the
 * benchmark times an analysis that answers right).
 */
class SyntheticClusterTest {

    @Test
    void matrixAgreesWithRuleByRuleExplanations() {
        Connectivity c = NetworkPolicyAnalyzer.analyze(NetworkBenchmark.cluster(1_000));
        List<Peer> workloads = c.workloads();
        assertEquals(200, workloads.size());
        assertEquals(200, c.podClassCount(), "the five replicas of a ReplicaSet are one class");
        Random random = new Random(42);
        int[] ports = {53, 443, 5432, 6379, 8000, 8050, 8080, 8081, 8100, 9090};
        String[] addresses = {"8.8.8.8", "10.3.1.1", "10.77.0.9", "172.16.5.5", "192.168.4.20", "192.168.77.1"};
        List<Connection> connected = c.connections();
        int allowed = 0;
        for (int i = 0; i < 2_000; i++) {
            int port = ports[random.nextInt(ports.length)];
            Protocol protocol = Protocol.values()[random.nextInt(3)];
            Peer src;
            Peer dst;
            if (i % 2 == 0) {
                // a connected pair, asked about one of the ports it allows
                Connection pick = connected.get(random.nextInt(connected.size()));
                src = pick.source();
                dst = pick.destination();
                protocol = pick.connections().byProtocol().keySet().iterator().next();
                port = pick.connections().ports(protocol).ranges()[0][0];
            } else {
                src = random.nextInt(4) == 0 ? Peer.external(IpRange.parseAddress(addresses[random.nextInt(addresses.length)]))
                        : workloads.get(random.nextInt(workloads.size()));
                dst = random.nextInt(4) == 0 && !src.isExternal()
                        ? Peer.external(IpRange.parseAddress(addresses[random.nextInt(addresses.length)]))
                        : workloads.get(random.nextInt(workloads.size()));
                if (src.equals(dst)) {
                    continue;
                }
            }
            boolean expected = c.between(src, dst).allows(protocol, port);
            Explanation e = c.explain(name(src), name(dst), port, protocol.name());
            assertEquals(expected, e.allowed(), e.toString());
            allowed += expected ? 1 : 0;
        }
        assertTrue(allowed >= 1_000, "every connected pair asked about an allowed port: " + allowed);
    }

    /** An external peer by one of its addresses, a workload by its name. */
    private static String name(Peer p) {
        if (!p.isExternal()) {
            return p.display();
        }
        return p.range().toString().substring(0, p.range().toString().indexOf('-'));
    }
}
