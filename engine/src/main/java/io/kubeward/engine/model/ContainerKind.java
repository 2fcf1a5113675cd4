package io.kubeward.engine.model;

/** The three lists of a pod spec that hold containers, with the field name of each. */
public enum ContainerKind {
    CONTAINER("containers"), INIT("initContainers"), EPHEMERAL("ephemeralContainers");

    private final String field;

    ContainerKind(String field) {
        this.field = field;
    }

    public String field() {
        return field;
    }
}
