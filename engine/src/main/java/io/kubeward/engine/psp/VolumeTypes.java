package io.kubeward.engine.psp;

import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Set;

/** The volume type names a PodSecurityPolicy's {@code volumes} list uses, and the type of a pod volume. */
public final class VolumeTypes {

    /** Every type name the policy API knows, besides {@code *} (all) and {@code none}. */
    public static final List<String> KNOWN = List.of(
            "awsElasticBlockStore", "azureDisk", "azureFile", "cephFS", "cinder", "configMap", "csi", "downwardAPI",
            "emptyDir", "ephemeral", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs",
            "hostPath", "iscsi", "nfs", "persistentVolumeClaim", "photonPersistentDisk", "portworxVolume", "projected",
            "quobyte", "rbd", "scaleIO", "secret", "storageos", "vsphereVolume");

    static final Set<String> KNOWN_SET = Set.copyOf(KNOWN);

    private VolumeTypes() {
    }

    /**
     * The policy type name of a pod volume, or null when it sets no source the policy API knows.
     * Volume sources newer than the policy API (such as {@code image}) get their own field name;
     * only {@code *} allows them.
     */
    public static String typeOf(Volume v) {
        if (v.getHostPath() != null) {
            return "hostPath";
        }
        if (v.getEmptyDir() != null) {
            return "emptyDir";
        }
        if (v.getSecret() != null) {
            return "secret";
        }
        if (v.getConfigMap() != null) {
            return "configMap";
        }
        if (v.getPersistentVolumeClaim() != null) {
            return "persistentVolumeClaim";
        }
        if (v.getProjected() != null) {
            return "projected";
        }
        if (v.getDownwardAPI() != null) {
            return "downwardAPI";
        }
        if (v.getCsi() != null) {
            return "csi";
        }
        if (v.getEphemeral() != null) {
            return "ephemeral";
        }
        if (v.getFlexVolume() != null) {
            return "flexVolume";
        }
        if (v.getNfs() != null) {
            return "nfs";
        }
        if (v.getGitRepo() != null) {
            return "gitRepo";
        }
        if (v.getAwsElasticBlockStore() != null) {
            return "awsElasticBlockStore";
        }
        if (v.getGcePersistentDisk() != null) {
            return "gcePersistentDisk";
        }
        if (v.getAzureDisk() != null) {
            return "azureDisk";
        }
        if (v.getAzureFile() != null) {
            return "azureFile";
        }
        if (v.getCephfs() != null) {
            return "cephFS";
        }
        if (v.getCinder() != null) {
            return "cinder";
        }
        if (v.getFc() != null) {
            return "fc";
        }
        if (v.getFlocker() != null) {
            return "flocker";
        }
        if (v.getGlusterfs() != null) {
            return "glusterfs";
        }
        if (v.getIscsi() != null) {
            return "iscsi";
        }
        if (v.getPhotonPersistentDisk() != null) {
            return "photonPersistentDisk";
        }
        if (v.getPortworxVolume() != null) {
            return "portworxVolume";
        }
        if (v.getQuobyte() != null) {
            return "quobyte";
        }
        if (v.getRbd() != null) {
            return "rbd";
        }
        if (v.getScaleIO() != null) {
            return "scaleIO";
        }
        if (v.getStorageos() != null) {
            return "storageos";
        }
        if (v.getVsphereVolume() != null) {
            return "vsphereVolume";
        }
        if (v.getImage() != null) {
            return "image";
        }
        return null;
    }
}
