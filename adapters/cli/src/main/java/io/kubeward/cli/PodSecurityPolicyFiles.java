package io.kubeward.cli;

import io.kubeward.admission.PodSecurityPolicySource;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.psp.AdmissionPolicies;
import io.kubeward.engine.psp.InvalidPolicyException;
import io.kubeward.engine.psp.PodSecurityPolicyView;
import io.kubeward.engine.psp.PolicyProblem;
import io.kubeward.engine.psp.RbacAuthorizer;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The PodSecurityPolicies and RBAC objects of {@code kubeward serve --psp}: read from files and
 * folders at start, where any mistake stops the server with the file, line and field named, and read
 * again when the files change, where a mistake keeps the policies in force. Other objects in the
 * files are ignored. Thread-safe: reviews read {@link #current()} while the poller reloads.
 */
final class PodSecurityPolicyFiles implements PodSecurityPolicySource {

    /** One reading of the files: the policies and RBAC objects, and what is worth a warning. */
    record Loaded(List<InputObject> objects, AdmissionPolicies policies, List<String> warnings) {
    }

    /** What a reload did: nothing (unchanged), swapped in new policies, or kept the old ones because of an error. */
    record Reload(boolean changed, Loaded loaded, String error) {
    }

    private final List<Path> paths;
    private final boolean rbacFromCluster;
    private final FileWatch watch;
    private volatile Loaded loaded;

    private PodSecurityPolicyFiles(List<Path> paths, boolean rbacFromCluster, Loaded loaded) {
        this.paths = List.copyOf(paths);
        this.rbacFromCluster = rbacFromCluster;
        this.watch = new FileWatch(paths, FileWatch.MANIFESTS);
        this.loaded = loaded;
    }

    /**
     * Reads the files.
     *
     * @param rbacFromCluster true when the cluster's RBAC counts too (files without RBAC are then fine)
     * @throws IllegalArgumentException naming every file, line and field at fault
     */
    static PodSecurityPolicyFiles load(List<Path> paths, boolean rbacFromCluster) {
        return new PodSecurityPolicyFiles(paths, rbacFromCluster, read(paths, rbacFromCluster));
    }

    @Override
    public AdmissionPolicies current() {
        return loaded.policies();
    }

    /** The policy and RBAC objects in force: a snapshot, replaced (never changed) by a reload. */
    List<InputObject> objects() {
        return loaded.objects();
    }

    Loaded loaded() {
        return loaded;
    }

    List<Path> paths() {
        return paths;
    }

    /** Reads the files again if they changed; a reading that fails keeps the policies in force. */
    Reload reloadIfChanged() {
        if (!watch.changed()) {
            return new Reload(false, loaded, null);
        }
        try {
            loaded = read(paths, rbacFromCluster);
            return new Reload(true, loaded, null);
        } catch (IllegalArgumentException e) {
            return new Reload(true, loaded, e.getMessage());
        }
    }

    static Loaded read(List<Path> paths, boolean rbacFromCluster) {
        ReadResult read = new ManifestReader().read(paths, System.in);
        if (read.hasErrors()) {
            throw new IllegalArgumentException("the policy files cannot be read:\n"
                    + read.errors().stream().map(e -> "  " + e.display()).collect(Collectors.joining("\n")));
        }
        List<InputObject> objects = new ArrayList<>();
        int rbac = 0;
        int ignored = 0;
        for (InputObject o : read.objects()) {
            if (PodSecurityPolicyView.isPodSecurityPolicy(o.object())) {
                objects.add(o);
            } else if (RbacAuthorizer.isRbacObject(o.object())) {
                objects.add(o);
                rbac++;
            } else {
                ignored++;
            }
        }
        AdmissionPolicies policies = AdmissionPolicies.of(objects);
        if (!policies.invalidPolicies().isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (InvalidPolicyException e : policies.invalidPolicies()) {
                for (PolicyProblem p : e.problems()) {
                    lines.add("  " + (p.location() == null ? "" : p.location().display() + ": ") + "PodSecurityPolicy "
                            + (e.policy().name() == null ? "(no name)" : e.policy().name()) + ": field " + p.field() + ": " + p.message());
                }
            }
            throw new IllegalArgumentException("invalid PodSecurityPolicies:\n" + String.join("\n", lines));
        }
        if (policies.policies().isEmpty()) {
            throw new IllegalArgumentException("no PodSecurityPolicy (policy/v1beta1) in " + display(paths)
                    + "; with none, the PodSecurityPolicy admission would deny every pod");
        }
        // with the cluster's RBAC too, a binding in the files may well refer to a role of the cluster
        List<String> warnings = new ArrayList<>(rbacFromCluster ? List.of() : policies.rbacWarnings());
        if (rbac == 0 && !rbacFromCluster) {
            warnings.add("no Role, ClusterRole, RoleBinding or ClusterRoleBinding in " + display(paths)
                    + ": no one may use a policy, so every pod is denied (or take RBAC from the cluster: --psp-rbac cluster)");
        }
        if (ignored > 0) {
            warnings.add(ignored + " object(s) in " + display(paths) + " are neither PodSecurityPolicies nor RBAC, and are ignored");
        }
        return new Loaded(List.copyOf(objects), policies, warnings);
    }

    private static String display(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(", "));
    }
}
