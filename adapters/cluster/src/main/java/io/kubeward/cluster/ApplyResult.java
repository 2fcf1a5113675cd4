package io.kubeward.cluster;

import java.util.List;

/**
 * What applying reports to a cluster did: reports created, updated, left as they were (same
 * findings), deleted (parts no longer needed, namespaces now clean), and what failed.
 */
public record ApplyResult(int created, int updated, int unchanged, int deleted, List<String> errors) {

    public ApplyResult {
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** e.g. "2 created, 1 updated, 3 unchanged, 0 deleted". */
    public String display() {
        return created + " created, " + updated + " updated, " + unchanged + " unchanged, " + deleted + " deleted"
                + (errors.isEmpty() ? "" : ", " + errors.size() + " failed");
    }
}
