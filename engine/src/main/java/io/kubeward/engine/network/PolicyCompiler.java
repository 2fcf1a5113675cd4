package io.kubeward.engine.network;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpec;
import io.kubeward.engine.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Compiles a NetworkPolicy and checks it as the API server would: label keys and values, selector
 * operators, CIDRs and excepts, peers (exactly one of selectors or ipBlock), ports (numbers 1-65535,
 * valid port names, protocols, endPort only with a numeric port and not below it). Each problem
 * names its field; compilation goes on past problems so that every problem is reported.
 */
final class PolicyCompiler {

    /** IANA service name: what a named port must be. */
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    record Result(CompiledPolicy policy, List<NetworkPolicyValidationException.Problem> problems) {
    }

    private PolicyCompiler() {
    }

    static String namespaceOf(NetworkPolicy np) {
        String ns = np.getMetadata() == null ? null : np.getMetadata().getNamespace();
        return ns == null || ns.isEmpty() ? "default" : ns;
    }

    static String nameOf(NetworkPolicy np) {
        String name = np.getMetadata() == null ? null : np.getMetadata().getName();
        return name == null || name.isEmpty() ? "(unnamed)" : name;
    }

    static Result compile(NetworkPolicy np, Source source) {
        String namespace = namespaceOf(np);
        String name = nameOf(np);
        PolicyProblems problems = new PolicyProblems(namespace + "/" + name, source);
        if (np.getMetadata() == null || np.getMetadata().getName() == null || np.getMetadata().getName().isEmpty()) {
            problems.add("metadata.name", "the policy has no name");
        }
        NetworkPolicySpec spec = np.getSpec() == null ? new NetworkPolicySpec() : np.getSpec();
        Selector podSelector = Selector.compile(spec.getPodSelector(), "spec.podSelector", problems);

        List<NetworkPolicyIngressRule> ingress = spec.getIngress() == null ? List.of() : spec.getIngress();
        List<NetworkPolicyEgressRule> egress = spec.getEgress() == null ? List.of() : spec.getEgress();
        boolean isolatesIngress;
        boolean isolatesEgress;
        List<String> types = spec.getPolicyTypes() == null ? List.of() : spec.getPolicyTypes();
        if (types.isEmpty()) {
            // the API server's default: Ingress always, Egress when there are egress rules
            isolatesIngress = true;
            isolatesEgress = !egress.isEmpty();
        } else {
            isolatesIngress = false;
            isolatesEgress = false;
            for (int i = 0; i < types.size(); i++) {
                String t = types.get(i);
                if ("Ingress".equals(t)) {
                    isolatesIngress = true;
                } else if ("Egress".equals(t)) {
                    isolatesEgress = true;
                } else {
                    problems.add("spec.policyTypes[" + i + "]", "policy type must be Ingress or Egress, found \"" + t + "\"");
                }
            }
        }
        CompiledPolicy policy = new CompiledPolicy(np, source, namespace, name, podSelector, isolatesIngress, isolatesEgress);
        for (int i = 0; i < ingress.size(); i++) {
            NetworkPolicyIngressRule r = ingress.get(i);
            policy.ingress.add(rule(policy, Direction.INGRESS, i, r == null ? null : r.getFrom(), r == null ? null : r.getPorts(), problems));
        }
        for (int i = 0; i < egress.size(); i++) {
            NetworkPolicyEgressRule r = egress.get(i);
            policy.egress.add(rule(policy, Direction.EGRESS, i, r == null ? null : r.getTo(), r == null ? null : r.getPorts(), problems));
        }
        return new Result(policy, problems.all());
    }

    private static CompiledRule rule(CompiledPolicy policy, Direction direction, int index, List<NetworkPolicyPeer> rawPeers,
                                     List<NetworkPolicyPort> rawPorts, PolicyProblems problems) {
        String base = "spec." + direction.field() + "[" + index + "]";
        List<PolicyPeer> peers = new ArrayList<>();
        List<NetworkPolicyPeer> rp = rawPeers == null ? List.of() : rawPeers;
        String ipBlockPeer = null;
        for (int j = 0; j < rp.size(); j++) {
            String field = base + "." + direction.peersField() + "[" + j + "]";
            PolicyPeer p = peer(rp.get(j), field, problems);
            if (p != null) {
                p.index = j;
                peers.add(p);
                if (p.isIpBlock() && ipBlockPeer == null) {
                    ipBlockPeer = field;
                }
            }
        }
        List<PortSpec> ports = new ArrayList<>();
        List<NetworkPolicyPort> rports = rawPorts == null ? List.of() : rawPorts;
        for (int k = 0; k < rports.size(); k++) {
            String field = base + ".ports[" + k + "]";
            PortSpec p = port(rports.get(k), field, problems);
            if (p == null) {
                continue;
            }
            if (p.isNamed() && direction == Direction.EGRESS && ipBlockPeer != null) {
                problems.add(field + ".port", "named port \"" + p.name() + "\" cannot apply to the ipBlock peer " + ipBlockPeer
                        + ": an address outside the cluster has no named ports; give the port number");
            }
            ports.add(p);
        }
        return new CompiledRule(policy, direction, index, peers, ports);
    }

    private static PolicyPeer peer(NetworkPolicyPeer raw, String field, PolicyProblems problems) {
        if (raw == null || (raw.getPodSelector() == null && raw.getNamespaceSelector() == null && raw.getIpBlock() == null)) {
            problems.add(field, "a peer must set podSelector, namespaceSelector or ipBlock; an empty peer {} is not allowed "
                    + "(to allow every peer, leave out the peer list)");
            return null;
        }
        IPBlock block = raw.getIpBlock();
        if (block != null) {
            if (raw.getPodSelector() != null || raw.getNamespaceSelector() != null) {
                problems.add(field, "a peer may set ipBlock or podSelector/namespaceSelector, not both; write them as two peers");
            }
            return ipBlock(block, field + ".ipBlock", problems);
        }
        Selector pods = raw.getPodSelector() == null ? null : Selector.compile(raw.getPodSelector(), field + ".podSelector", problems);
        Selector namespaces = raw.getNamespaceSelector() == null ? null
                : Selector.compile(raw.getNamespaceSelector(), field + ".namespaceSelector", problems);
        return new PolicyPeer(pods, namespaces);
    }

    private static PolicyPeer ipBlock(IPBlock block, String field, PolicyProblems problems) {
        IpRange cidr;
        try {
            cidr = IpRange.parseCidr(block.getCidr());
        } catch (IllegalArgumentException e) {
            problems.add(field + ".cidr", e.getMessage());
            return new PolicyPeer(null, List.of(), List.of());
        }
        List<IpRange> addresses = new ArrayList<>(List.of(cidr));
        List<IpRange> excepts = new ArrayList<>();
        List<String> rawExcepts = block.getExcept() == null ? List.of() : block.getExcept();
        for (int i = 0; i < rawExcepts.size(); i++) {
            String f = field + ".except[" + i + "]";
            IpRange ex;
            try {
                ex = IpRange.parseCidr(rawExcepts.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(f, e.getMessage());
                continue;
            }
            if (!cidr.contains(ex) || cidr.equals(ex)) {
                problems.add(f, "except " + rawExcepts.get(i) + " must lie strictly inside cidr " + block.getCidr());
                continue;
            }
            excepts.add(ex);
            List<IpRange> left = new ArrayList<>();
            for (IpRange a : addresses) {
                left.addAll(a.minus(ex));
            }
            addresses = left;
        }
        return new PolicyPeer(cidr, excepts, addresses);
    }

    private static PortSpec port(NetworkPolicyPort raw, String field, PolicyProblems problems) {
        if (raw == null) {
            return PortSpec.all(Protocol.TCP);
        }
        Protocol protocol;
        try {
            protocol = Protocol.parse(raw.getProtocol());
        } catch (IllegalArgumentException e) {
            problems.add(field + ".protocol", e.getMessage());
            return null;
        }
        IntOrString port = raw.getPort();
        Integer end = raw.getEndPort();
        boolean ok = true;
        if (port == null || (port.getIntVal() == null && port.getStrVal() == null)) {
            if (end != null) {
                problems.add(field + ".endPort", "endPort needs a numeric port to start the range");
                return null;
            }
            return PortSpec.all(protocol);
        }
        if (port.getIntVal() == null) {
            String name = port.getStrVal();
            if (name.length() > 15 || !PORT_NAME.matcher(name).matches() || name.contains("--") || !name.matches(".*[a-z].*")) {
                problems.add(field + ".port", "\"" + name + "\" is neither a port number nor a valid port name "
                        + "(at most 15 lower-case letters, digits and '-', with at least one letter)");
                ok = false;
            }
            if (end != null) {
                problems.add(field + ".endPort", "endPort cannot be used with the named port \"" + name + "\"; give a numeric port");
                ok = false;
            }
            return ok ? new PortSpec(protocol, 0, 0, name) : null;
        }
        int from = port.getIntVal();
        if (from < PortSet.MIN || from > PortSet.MAX) {
            problems.add(field + ".port", "port " + from + " is outside 1-65535");
            ok = false;
        }
        int to = from;
        if (end != null) {
            if (end < from) {
                problems.add(field + ".endPort", "endPort " + end + " is below port " + from + ": the range is empty");
                ok = false;
            } else if (end > PortSet.MAX) {
                problems.add(field + ".endPort", "endPort " + end + " is over 65535");
                ok = false;
            }
            to = end;
        }
        return ok ? new PortSpec(protocol, from, to, null) : null;
    }
}
