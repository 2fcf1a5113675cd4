package io.kubeward.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/** One Kubernetes object handed to the engine, with where it came from (null when unknown). */
public record InputObject(HasMetadata object, Source source) {

    public InputObject {
        Objects.requireNonNull(object, "object");
    }

    public static InputObject of(HasMetadata object) {
        return new InputObject(object, null);
    }

    public ResourceRef ref() {
        return ResourceRef.of(object);
    }

    public SourceLocation locate(String path) {
        return source == null ? null : source.locate(path);
    }
}
