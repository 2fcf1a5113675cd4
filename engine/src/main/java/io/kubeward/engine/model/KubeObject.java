package io.kubeward.engine.model;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import java.util.Collections;
import java.util.Map;

/**
 * Every input object, whatever its kind, so that a rule can match any object:
 * {@code KubeObject( kind == "Secret", $s : object )}. Custom resources arrive as
 * {@link GenericKubernetesResource}.
 */
public final class KubeObject implements Subject {

    private final HasMetadata object;
    private final ResourceRef resource;
    private final Source source;

    public KubeObject(HasMetadata object, Source source) {
        this.object = object;
        this.resource = ResourceRef.of(object);
        this.source = source;
    }

    public HasMetadata getObject() {
        return object;
    }

    public String getKind() {
        return resource.kind();
    }

    public String getApiVersion() {
        return resource.apiVersion();
    }

    public String getNamespace() {
        return resource.namespace();
    }

    public String getName() {
        return resource.name();
    }

    public Map<String, String> getLabels() {
        Map<String, String> l = object.getMetadata() == null ? null : object.getMetadata().getLabels();
        return l == null ? Map.of() : Collections.unmodifiableMap(l);
    }

    public Map<String, String> getAnnotations() {
        Map<String, String> a = object.getMetadata() == null ? null : object.getMetadata().getAnnotations();
        return a == null ? Map.of() : Collections.unmodifiableMap(a);
    }

    /** True for custom resources and kinds the fabric8 model does not know. */
    public boolean isGeneric() {
        return object instanceof GenericKubernetesResource;
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
