package io.kubeward.engine.model;

import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;

/** A fact a finding can be reported on: it knows its object, its container (if any) and its origin. */
public interface Subject {

    ResourceRef getResource();

    /** The container the subject belongs to, or null. */
    default String getContainerName() {
        return null;
    }

    /** Where the object came from, or null. */
    Source getSource();
}
