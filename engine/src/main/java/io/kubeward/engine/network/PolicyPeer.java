package io.kubeward.engine.network;

import java.util.List;

/**
 * One compiled entry of a rule's {@code from} or {@code to}: pods chosen by selectors (a missing
 * namespaceSelector means the policy's own namespace; a missing podSelector every pod of the chosen
 * namespaces), or an ipBlock (its CIDR minus the excepts), which never matches a cluster pod.
 */
final class PolicyPeer {

    /** Null when the peer does not set it. */
    final Selector podSelector;
    /** Null when the peer does not set it. */
    final Selector namespaceSelector;
    /** The addresses of an ipBlock peer, null for a selector peer. */
    final List<IpRange> addresses;
    /** The ipBlock's CIDR, null for a selector peer or an invalid CIDR. */
    final IpRange cidr;
    /** Its {@code except} ranges. */
    final List<IpRange> excepts;
    /** Its position in the rule's {@code from} or {@code to} list. */
    int index;

    PolicyPeer(Selector podSelector, Selector namespaceSelector) {
        this.podSelector = podSelector;
        this.namespaceSelector = namespaceSelector;
        this.addresses = null;
        this.cidr = null;
        this.excepts = List.of();
    }

    PolicyPeer(IpRange cidr, List<IpRange> excepts, List<IpRange> addresses) {
        this.podSelector = null;
        this.namespaceSelector = null;
        this.cidr = cidr;
        this.excepts = List.copyOf(excepts);
        this.addresses = List.copyOf(addresses);
    }

    boolean isIpBlock() {
        return addresses != null;
    }

    /** True when the ipBlock holds the whole range. */
    boolean containsAddresses(IpRange range) {
        if (addresses == null) {
            return false;
        }
        for (IpRange r : addresses) {
            if (r.contains(range)) {
                return true;
            }
        }
        return false;
    }

    /** Identifies what the peer selects among pods of a policy in {@code namespace}, for caching. */
    String podKey(String namespace) {
        return (namespaceSelector == null ? "ns=" + namespace : "nss=" + namespaceSelector.canonical())
                + "|" + (podSelector == null ? "*" : podSelector.canonical());
    }

    @Override
    public String toString() {
        if (addresses != null) {
            return "ipBlock " + (cidr == null ? "(invalid)" : cidr) + (excepts.isEmpty() ? "" : " except " + excepts);
        }
        return (namespaceSelector == null ? "" : "namespaceSelector " + namespaceSelector + " ")
                + (podSelector == null ? "" : "podSelector " + podSelector);
    }
}
