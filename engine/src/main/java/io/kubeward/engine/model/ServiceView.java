package io.kubeward.engine.model;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A Service of the snapshot, with what it opens on nodes. */
public final class ServiceView implements Subject {

    private final Service service;
    private final ResourceRef resource;
    private final Source source;

    public ServiceView(Service service, Source source) {
        this.service = service;
        this.resource = ResourceRef.of(service);
        this.source = source;
    }

    public Service getService() {
        return service;
    }

    /** ClusterIP when unset, as the API server defaults it. */
    public String getType() {
        String t = service.getSpec() == null ? null : service.getSpec().getType();
        return t == null || t.isEmpty() ? "ClusterIP" : t;
    }

    /** NodePort and LoadBalancer services open their node ports on every node of the cluster. */
    public boolean isOpensNodePorts() {
        if ("NodePort".equals(getType())) {
            return true;
        }
        // a LoadBalancer opens node ports unless allocateLoadBalancerNodePorts is false
        return "LoadBalancer".equals(getType())
                && !(service.getSpec() != null && Boolean.FALSE.equals(service.getSpec().getAllocateLoadBalancerNodePorts()));
    }

    public List<ServicePort> getPorts() {
        return service.getSpec() == null || service.getSpec().getPorts() == null
                ? List.of() : Collections.unmodifiableList(service.getSpec().getPorts());
    }

    public Map<String, String> getSelector() {
        return service.getSpec() == null || service.getSpec().getSelector() == null
                ? Map.of() : Collections.unmodifiableMap(service.getSpec().getSelector());
    }

    public String getNamespace() {
        return resource.namespace();
    }

    @Override
    public ResourceRef getResource() {
        return resource;
    }

    @Override
    public Source getSource() {
        return source;
    }

    @Override
    public String toString() {
        return resource.display();
    }
}
