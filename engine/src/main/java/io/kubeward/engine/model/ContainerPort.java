package io.kubeward.engine.model;

import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import java.util.Objects;

/**
 * One entry of a container's {@code ports}. A port binds a port of the node when it sets
 * {@code hostPort}, or when the pod uses {@code hostNetwork} (then every containerPort is a port
 * of the node).
 */
public final class ContainerPort implements Subject {

    private final ContainerView container;
    private final int index;
    private final io.fabric8.kubernetes.api.model.ContainerPort port;
    private String nodePortPath;

    ContainerPort(ContainerView container, int index, io.fabric8.kubernetes.api.model.ContainerPort port) {
        this.container = container;
        this.index = index;
        this.port = port;
    }

    public ContainerView getContainer() {
        return container;
    }

    public Workload getWorkload() {
        return container.getWorkload();
    }

    @Override
    public ResourceRef getResource() {
        return container.getResource();
    }

    @Override
    public Source getSource() {
        return container.getSource();
    }

    @Override
    public String getContainerName() {
        return container.getName();
    }

    public int getIndex() {
        return index;
    }

    public String getName() {
        return port.getName();
    }

    public int getContainerPort() {
        return port.getContainerPort() == null ? 0 : port.getContainerPort();
    }

    public int getHostPort() {
        return port.getHostPort() == null ? 0 : port.getHostPort();
    }

    /** The host IP the port binds; empty means every address of the node (0.0.0.0). */
    public String getHostIP() {
        String ip = port.getHostIP();
        return ip == null || ip.equals("0.0.0.0") || ip.equals("::") ? "" : ip;
    }

    /** TCP when unset, as the API server defaults it. */
    public String getProtocol() {
        return port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
    }

    /** The port this entry binds on the node, or 0 when it binds none. */
    public int getNodePort() {
        if (getHostPort() > 0) {
            return getHostPort();
        }
        return getWorkload().isHostNetwork() ? getContainerPort() : 0;
    }

    public boolean isBindsNode() {
        return getNodePort() > 0;
    }

    /** True when the port is a node port only because the pod uses hostNetwork. */
    public boolean isViaHostNetwork() {
        return getHostPort() == 0 && getWorkload().isHostNetwork() && getContainerPort() > 0;
    }

    public String path(String field) {
        return container.path("ports[" + index + "]" + (field == null || field.isEmpty() ? "" : "." + field));
    }

    /** Path of the field that makes the node port: hostPort, or containerPort under hostNetwork. */
    public String getNodePortPath() {
        // rules and the node-exposure analysis ask for it again per pair of ports and per finding; the facts do not change
        String p = nodePortPath;
        if (p == null) {
            p = path(getHostPort() > 0 ? "hostPort" : "containerPort");
            nodePortPath = p;
        }
        return p;
    }

    /**
     * True when both bind the same node port and protocol on overlapping addresses: the same hostIP,
     * or either binds every address. Two different specific addresses do not collide.
     */
    public boolean collidesWith(ContainerPort other) {
        if (other == null || !isBindsNode() || !other.isBindsNode()) {
            return false;
        }
        if (getNodePort() != other.getNodePort() || !getProtocol().equals(other.getProtocol())) {
            return false;
        }
        String a = getHostIP();
        String b = other.getHostIP();
        return a.isEmpty() || b.isEmpty() || a.equals(b);
    }

    /** e.g. {@code 9000/TCP} or {@code 10.0.0.1:9000/TCP}. */
    public String display() {
        return (getHostIP().isEmpty() ? "" : getHostIP() + ":") + getNodePort() + "/" + getProtocol();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContainerPort p && p.container == container && p.index == index;
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(container), index);
    }

    @Override
    public String toString() {
        return container + ".ports[" + index + "]";
    }
}
