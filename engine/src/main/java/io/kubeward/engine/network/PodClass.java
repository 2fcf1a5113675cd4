package io.kubeward.engine.network;

import java.util.Map;

/**
 * Pods that no NetworkPolicy can tell apart: one namespace, one set of labels, one set of named
 * ports. Connectivity is computed once per class, not per pod.
 */
final class PodClass {

    final int index;
    final String namespace;
    final Map<String, String> labels;
    /** Port name to the (protocol, number) pairs the pod's containers give it. */
    final Map<String, ConnectionSet> namedPorts;
    /** Same number for classes with equal named ports, so resolved rule ports can be shared. */
    final int portProfile;

    PodClass(int index, String namespace, Map<String, String> labels, Map<String, ConnectionSet> namedPorts, int portProfile) {
        this.index = index;
        this.namespace = namespace;
        this.labels = labels;
        this.namedPorts = namedPorts;
        this.portProfile = portProfile;
    }

    @Override
    public String toString() {
        return namespace + io.kubeward.engine.model.Labels.display(labels);
    }
}
