package io.kubeward.engine.network;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import io.kubeward.engine.model.ContainerPort;
import io.kubeward.engine.model.Labels;
import io.kubeward.engine.model.ServiceView;
import io.kubeward.engine.model.Subject;
import io.kubeward.engine.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One ingress or egress rule of a {@link NetworkPolicyView}, for rules that judge what a rule lets
 * through. Findings on it point at the policy object and the rule's field path.
 */
public final class NetworkPolicyRuleView implements Subject {

    /** The link-local address where cloud providers serve instance metadata and credentials. */
    public static final String CLOUD_METADATA_ADDRESS = "169.254.169.254";
    private static final IpRange METADATA = IpRange.parseAddress(CLOUD_METADATA_ADDRESS);

    private final NetworkPolicyView policy;
    private final CompiledRule rule;

    NetworkPolicyRuleView(NetworkPolicyView policy, CompiledRule rule) {
        this.policy = policy;
        this.rule = rule;
    }

    public NetworkPolicyView getPolicy() {
        return policy;
    }

    public boolean isIngress() {
        return rule.direction == Direction.INGRESS;
    }

    public boolean isEgress() {
        return rule.direction == Direction.EGRESS;
    }

    /** {@code ingress} or {@code egress}. */
    public String getDirection() {
        return rule.direction.field();
    }

    public int getIndex() {
        return rule.index;
    }

    /** The rule's path in the policy, e.g. {@code spec.ingress[0]}. */
    public String getPath() {
        return rule.path();
    }

    /** True when it names no peers: it allows every pod of every namespace and every address. */
    public boolean isPeerless() {
        return rule.peers.isEmpty();
    }

    /** True when it restricts ports; false when it allows every port. */
    public boolean isPortRestricted() {
        return !rule.ports.isEmpty();
    }

    /** What it allows, in connlist text ({@code All Connections}, {@code TCP 443}, a named port as {@code web/TCP}). */
    public String getPortsText() {
        if (rule.ports.isEmpty()) {
            return "all ports";
        }
        List<String> out = new ArrayList<>();
        rule.ports.forEach(p -> out.add(p.toString()));
        return String.join(", ", out);
    }

    /** Paths of its ipBlock CIDRs that take in a whole address family (0.0.0.0/0, ::/0) with no except. */
    public List<String> getWholeAddressSpacePaths() {
        List<String> out = new ArrayList<>();
        for (PolicyPeer p : rule.peers) {
            if (p.isIpBlock() && p.cidr != null && p.cidr.isWholeFamily() && p.excepts.isEmpty()) {
                out.add(peerPath(p) + ".ipBlock.cidr");
            }
        }
        return out;
    }

    /**
     * Where an egress rule lets TCP through to {@value #CLOUD_METADATA_ADDRESS}: the path of the ipBlock CIDR
     * that holds it (and does not except it), or the rule's path when it names no peers; null when it does not.
     */
    public String getCloudMetadataPath() {
        if (!isEgress() || rule.unnamedPorts.ports(Protocol.TCP).isEmpty()) {
            return null;
        }
        if (rule.peers.isEmpty()) {
            return rule.path();
        }
        for (PolicyPeer p : rule.peers) {
            if (p.containsAddresses(METADATA)) {
                return peerPath(p) + ".ipBlock.cidr";
            }
        }
        return null;
    }

    /** The TCP ports it allows to an address outside the cluster, e.g. {@code 1-65535} or {@code 80,443}. */
    public String getExternalTcpPorts() {
        return rule.unnamedPorts.ports(Protocol.TCP).toString();
    }

    /**
     * True for an ingress rule open to every namespace: no peers, or a peer with an empty
     * namespaceSelector and no (or an empty) podSelector.
     */
    public boolean isOpenToAllNamespaces() {
        if (!isIngress()) {
            return false;
        }
        if (rule.peers.isEmpty()) {
            return true;
        }
        for (PolicyPeer p : rule.peers) {
            if (!p.isIpBlock() && p.namespaceSelector != null && p.namespaceSelector.isEmpty()
                    && (p.podSelector == null || p.podSelector.isEmpty())) {
                return true;
            }
        }
        return false;
    }

    /** True when the policy selects the port's workload and this rule allows traffic to the container port. */
    public boolean allowsContainerPort(ContainerPort port) {
        Workload w = port.getWorkload();
        if (!policy.selects(w) || port.getContainerPort() <= 0) {
            return false;
        }
        Protocol protocol;
        try {
            protocol = Protocol.parse(port.getProtocol());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return rule.resolve(NetworkModel.namedPorts(w)).allows(protocol, port.getContainerPort());
    }

    /**
     * The ports of a NodePort or LoadBalancer Service that reach pods of the workload on a port this
     * rule allows, described as {@code port 80 (nodePort 30080) to 8080/TCP}; empty when none.
     */
    public List<String> nodePortsReaching(ServiceView service, Workload w) {
        List<String> out = new ArrayList<>();
        String ns = service.getNamespace() == null || service.getNamespace().isEmpty() ? "default" : service.getNamespace();
        if (!service.isOpensNodePorts() || !ns.equals(NetworkModel.namespaceOf(w)) || !policy.selects(w)
                || service.getSelector().isEmpty() || !Labels.matches(service.getSelector(), w.getPodLabels())) {
            return out;
        }
        Map<String, ConnectionSet> named = NetworkModel.namedPorts(w);
        ConnectionSet allowed = rule.resolve(named);
        for (ServicePort sp : service.getPorts()) {
            Protocol protocol;
            try {
                protocol = Protocol.parse(sp.getProtocol());
            } catch (IllegalArgumentException e) {
                continue;
            }
            for (int target : targets(sp, protocol, named)) {
                if (allowed.allows(protocol, target)) {
                    out.add("port " + sp.getPort() + (sp.getNodePort() == null ? "" : " (nodePort " + sp.getNodePort() + ")")
                            + " to " + target + "/" + protocol);
                }
            }
        }
        return out;
    }

    private static List<Integer> targets(ServicePort sp, Protocol protocol, Map<String, ConnectionSet> named) {
        IntOrString t = sp.getTargetPort();
        if (t == null || (t.getIntVal() == null && t.getStrVal() == null)) {
            return sp.getPort() == null ? List.of() : List.of(sp.getPort());
        }
        if (t.getIntVal() != null) {
            return List.of(t.getIntVal());
        }
        ConnectionSet byName = named.get(t.getStrVal());
        List<Integer> out = new ArrayList<>();
        if (byName != null) {
            for (int[] r : byName.ports(protocol).ranges()) {
                for (int port = r[0]; port <= r[1]; port++) {
                    out.add(port);
                }
            }
        }
        return out;
    }

    private String peerPath(PolicyPeer p) {
        return rule.path() + "." + rule.direction.peersField() + "[" + p.index + "]";
    }

    @Override
    public ResourceRef getResource() {
        return policy.getResource();
    }

    @Override
    public Source getSource() {
        return policy.getSource();
    }

    @Override
    public String toString() {
        return policy.getRef() + " " + getPath();
    }
}
