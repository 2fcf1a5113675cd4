package io.kubeward.engine.network;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.kubeward.engine.Source;
import java.util.ArrayList;
import java.util.List;

/** A NetworkPolicy compiled for analysis: its selector, the directions it isolates, and its rules. */
final class CompiledPolicy {

    final NetworkPolicy object;
    final Source source;
    final String namespace;
    final String name;
    final Selector podSelector;
    /** True when it isolates the pods it selects for ingress (policyTypes, defaulted as the API does). */
    final boolean isolatesIngress;
    final boolean isolatesEgress;
    final List<CompiledRule> ingress = new ArrayList<>();
    final List<CompiledRule> egress = new ArrayList<>();

    CompiledPolicy(NetworkPolicy object, Source source, String namespace, String name, Selector podSelector,
                   boolean isolatesIngress, boolean isolatesEgress) {
        this.object = object;
        this.source = source;
        this.namespace = namespace;
        this.name = name;
        this.podSelector = podSelector;
        this.isolatesIngress = isolatesIngress;
        this.isolatesEgress = isolatesEgress;
    }

    /** {@code namespace/name}. */
    String ref() {
        return namespace + "/" + name;
    }

    boolean isolates(Direction d) {
        return d == Direction.INGRESS ? isolatesIngress : isolatesEgress;
    }

    List<CompiledRule> rules(Direction d) {
        return d == Direction.INGRESS ? ingress : egress;
    }

    boolean selects(PodClass pod) {
        return pod.namespace.equals(namespace) && podSelector.matches(pod.labels);
    }

    @Override
    public String toString() {
        return ref();
    }
}
