package io.kubeward.engine;

import java.util.List;

/**
 * One port a workload or Service opens on nodes. A hostPort or a hostNetwork container port is
 * bound only on the nodes that run the pod; a NodePort or LoadBalancer Service's node port on every
 * node of the cluster, whatever pods it selects.
 *
 * @param resource the workload or Service
 * @param container the container declaring the port (null for Services)
 * @param port the node port (0 for a Service node port the API server will allocate)
 * @param protocol TCP, UDP or SCTP
 * @param hostIP the node address bound; empty for every address
 * @param via how the port is opened
 * @param scope which nodes: {@link Scope#ALL_NODES}, {@link Scope#EVERY_SELECTED_NODE} (a
 *     DaemonSet), {@link Scope#NODE} (a pod with a nodeName), {@link Scope#NODE_OF_EACH_POD}
 *     (wherever its pods are scheduled)
 * @param nodes the known node names in scope: all of them, the ones selected, or the candidates
 * @param path the field that opens the port
 */
public record NodeExposure(
        ResourceRef resource,
        String container,
        int port,
        String protocol,
        String hostIP,
        Via via,
        Scope scope,
        List<String> nodes,
        String path) {

    public enum Via { HOST_PORT, HOST_NETWORK, NODE_PORT, LOAD_BALANCER }

    public enum Scope { ALL_NODES, EVERY_SELECTED_NODE, NODE, NODE_OF_EACH_POD }

    public NodeExposure {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** e.g. {@code 9000/TCP} or {@code <allocated>/TCP}. */
    public String portDisplay() {
        return (hostIP == null || hostIP.isEmpty() ? "" : hostIP + ":") + (port == 0 ? "<allocated>" : String.valueOf(port)) + "/" + protocol;
    }

    public String scopeDisplay() {
        String known = nodes.isEmpty() ? "" : ": " + String.join(", ", nodes);
        return switch (scope) {
            case ALL_NODES -> "every node" + known;
            case EVERY_SELECTED_NODE -> "every node it selects" + known;
            case NODE -> "node " + String.join(", ", nodes);
            case NODE_OF_EACH_POD -> nodes.isEmpty() ? "the node each pod runs on" : "the node each pod runs on, one of" + known;
        };
    }
}
