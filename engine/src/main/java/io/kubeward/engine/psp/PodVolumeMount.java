package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.VolumeMount;
import io.kubeward.engine.model.ContainerView;

/** One volume mount of a container of a pod under review. */
public final class PodVolumeMount {

    private final ContainerView container;
    private final int index;
    private final VolumeMount mount;

    PodVolumeMount(ContainerView container, int index, VolumeMount mount) {
        this.container = container;
        this.index = index;
        this.mount = mount;
    }

    public ContainerView getContainer() {
        return container;
    }

    public int getIndex() {
        return index;
    }

    /** The name of the volume it mounts. */
    public String getVolumeName() {
        return mount.getName();
    }

    public String getMountPath() {
        return mount.getMountPath();
    }

    public boolean isReadOnly() {
        return Boolean.TRUE.equals(mount.getReadOnly());
    }

    /** Full path of a field of this mount, e.g. {@code spec.containers[0].volumeMounts[1].readOnly}. */
    public String path(String field) {
        return container.path("volumeMounts[" + index + "]" + (field == null || field.isEmpty() ? "" : "." + field));
    }
}
