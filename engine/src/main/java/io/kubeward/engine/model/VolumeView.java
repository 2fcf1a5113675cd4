package io.kubeward.engine.model;

import io.fabric8.kubernetes.api.model.Volume;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import java.util.Map;

/**
 * One entry of a pod's {@code volumes} with the kind of source it uses, named as the field of the
 * pod spec ({@code hostPath}, {@code emptyDir}, {@code nfs}, ...). A volume that names no source
 * is an {@code emptyDir}, as the API server defaults it; a source the model does not know keeps
 * the name it was written with. Each volume is a fact of the rule session, as containers are.
 */
public final class VolumeView implements Subject {

    private final Workload workload;
    private final int index;
    private final Volume volume;
    private final String type;

    VolumeView(Workload workload, int index, Volume volume) {
        this.workload = workload;
        this.index = index;
        this.volume = volume;
        this.type = typeOf(volume);
    }

    private static String typeOf(Volume v) {
        if (v.getConfigMap() != null) return "configMap";
        if (v.getCsi() != null) return "csi";
        if (v.getDownwardAPI() != null) return "downwardAPI";
        if (v.getEmptyDir() != null) return "emptyDir";
        if (v.getEphemeral() != null) return "ephemeral";
        if (v.getImage() != null) return "image";
        if (v.getPersistentVolumeClaim() != null) return "persistentVolumeClaim";
        if (v.getProjected() != null) return "projected";
        if (v.getSecret() != null) return "secret";
        if (v.getHostPath() != null) return "hostPath";
        if (v.getGcePersistentDisk() != null) return "gcePersistentDisk";
        if (v.getAwsElasticBlockStore() != null) return "awsElasticBlockStore";
        if (v.getGitRepo() != null) return "gitRepo";
        if (v.getNfs() != null) return "nfs";
        if (v.getIscsi() != null) return "iscsi";
        if (v.getGlusterfs() != null) return "glusterfs";
        if (v.getRbd() != null) return "rbd";
        if (v.getFlexVolume() != null) return "flexVolume";
        if (v.getCinder() != null) return "cinder";
        if (v.getCephfs() != null) return "cephfs";
        if (v.getFlocker() != null) return "flocker";
        if (v.getFc() != null) return "fc";
        if (v.getAzureFile() != null) return "azureFile";
        if (v.getVsphereVolume() != null) return "vsphereVolume";
        if (v.getQuobyte() != null) return "quobyte";
        if (v.getAzureDisk() != null) return "azureDisk";
        if (v.getPhotonPersistentDisk() != null) return "photonPersistentDisk";
        if (v.getPortworxVolume() != null) return "portworxVolume";
        if (v.getScaleIO() != null) return "scaleIO";
        if (v.getStorageos() != null) return "storageos";
        Map<String, Object> unknown = v.getAdditionalProperties();
        if (unknown != null) {
            for (String key : unknown.keySet()) {
                if (unknown.get(key) != null) {
                    return key;
                }
            }
        }
        return "emptyDir";
    }

    public Workload getWorkload() {
        return workload;
    }

    @Override
    public ResourceRef getResource() {
        return workload.getResource();
    }

    @Override
    public Source getSource() {
        return workload.getSource();
    }

    public Volume getVolume() {
        return volume;
    }

    public int getIndex() {
        return index;
    }

    public String getName() {
        return volume.getName() == null ? "" : volume.getName();
    }

    /** The source's field name, e.g. {@code hostPath}, {@code persistentVolumeClaim}. */
    public String getType() {
        return type;
    }

    public boolean isHostPath() {
        return volume.getHostPath() != null;
    }

    /** The node path a hostPath volume mounts, or "". */
    public String getHostPathPath() {
        return volume.getHostPath() == null || volume.getHostPath().getPath() == null ? "" : volume.getHostPath().getPath();
    }

    /** Full path of a field of this volume, e.g. {@code spec.volumes[1].hostPath}. */
    public String path(String field) {
        String p = workload.path("volumes[" + index + "]");
        return field == null || field.isEmpty() ? p : p + "." + field;
    }

    /** Path of the field naming the source, e.g. {@code spec.volumes[1].nfs}; the volume's own when none. */
    public String getTypePath() {
        return hasExplicitSource() ? path(type) : path("");
    }

    private boolean hasExplicitSource() {
        return !(type.equals("emptyDir") && volume.getEmptyDir() == null);
    }

    @Override
    public String toString() {
        return workload + ".volumes[" + index + "]";
    }
}
