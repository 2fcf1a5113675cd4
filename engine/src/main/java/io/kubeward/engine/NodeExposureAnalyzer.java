package io.kubeward.engine;

import io.fabric8.kubernetes.api.model.ServicePort;
import io.kubeward.engine.NodeExposure.Scope;
import io.kubeward.engine.NodeExposure.Via;
import io.kubeward.engine.model.ClusterView;
import io.kubeward.engine.model.ContainerPort;
import io.kubeward.engine.model.ContainerView;
import io.kubeward.engine.model.NodeView;
import io.kubeward.engine.model.ServiceView;
import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * Which ports each workload and Service opens on which nodes. A hostPort (or, under hostNetwork,
 * every container port) is bound only on the nodes that run the pod: for a DaemonSet every node it
 * selects, for a pod with a nodeName that node, otherwise wherever the scheduler puts each pod. A
 * NodePort or LoadBalancer Service binds its node ports on every node, whatever pods it selects.
 */
final class NodeExposureAnalyzer {

    private NodeExposureAnalyzer() {
    }

    static List<NodeExposure> analyze(FactSet facts) {
        List<NodeExposure> out = new ArrayList<>();
        ClusterView cluster = facts.cluster;
        for (Workload w : facts.workloads) {
            for (ContainerView c : w.getContainers()) {
                for (ContainerPort p : c.getPorts()) {
                    if (!p.isBindsNode()) {
                        continue;
                    }
                    Scope scope;
                    List<String> nodes;
                    if (w.getNodeName() != null) {
                        scope = Scope.NODE;
                        nodes = List.of(w.getNodeName());
                    } else {
                        scope = w.isDaemonSet() ? Scope.EVERY_SELECTED_NODE : Scope.NODE_OF_EACH_POD;
                        nodes = cluster.candidateNodes(w).stream().map(NodeView::getName).toList();
                    }
                    out.add(new NodeExposure(w.getResource(), c.getName(), p.getNodePort(), p.getProtocol(),
                            p.getHostIP(), p.isViaHostNetwork() ? Via.HOST_NETWORK : Via.HOST_PORT,
                            scope, nodes, p.getNodePortPath()));
                }
            }
        }
        List<String> allNodes = cluster.getNodes().stream().map(NodeView::getName).toList();
        for (ServiceView s : facts.services) {
            if (!s.isOpensNodePorts()) {
                continue;
            }
            Via via = "LoadBalancer".equals(s.getType()) ? Via.LOAD_BALANCER : Via.NODE_PORT;
            List<ServicePort> ports = s.getPorts();
            for (int i = 0; i < ports.size(); i++) {
                ServicePort sp = ports.get(i);
                int nodePort = sp.getNodePort() == null ? 0 : sp.getNodePort();
                String protocol = sp.getProtocol() == null || sp.getProtocol().isEmpty() ? "TCP" : sp.getProtocol();
                out.add(new NodeExposure(s.getResource(), null, nodePort, protocol, "", via, Scope.ALL_NODES,
                        allNodes, "spec.ports[" + i + "].nodePort"));
            }
        }
        return out;
    }
}
