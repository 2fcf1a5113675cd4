package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.Volume;
import io.kubeward.engine.model.Workload;

/** One volume of a pod under review, with the policy type name of its source. */
public final class PodVolume {

    private final Workload pod;
    private final int index;
    private final Volume volume;
    private final String type;

    PodVolume(Workload pod, int index, Volume volume) {
        this.pod = pod;
        this.index = index;
        this.volume = volume;
        this.type = VolumeTypes.typeOf(volume);
    }

    public int getIndex() {
        return index;
    }

    public String getName() {
        return volume.getName();
    }

    /** The policy's name of the volume's source ({@code hostPath}, {@code configMap}, ...), or null when it has none. */
    public String getType() {
        return type;
    }

    public Volume getVolume() {
        return volume;
    }

    /** The host path of a hostPath volume, else null. */
    public String getHostPath() {
        return volume.getHostPath() == null ? null : volume.getHostPath().getPath();
    }

    /** The driver of a flexVolume volume, else null. */
    public String getFlexDriver() {
        return volume.getFlexVolume() == null ? null : volume.getFlexVolume().getDriver();
    }

    /** The driver of an inline CSI volume, else null. */
    public String getCsiDriver() {
        return volume.getCsi() == null ? null : volume.getCsi().getDriver();
    }

    /** Full path of a field of this volume, e.g. {@code spec.volumes[0].hostPath.path}. */
    public String path(String field) {
        return pod.path("volumes[" + index + "]" + (field == null || field.isEmpty() ? "" : "." + field));
    }

    @Override
    public String toString() {
        return getName() + " (" + type + ")";
    }
}
