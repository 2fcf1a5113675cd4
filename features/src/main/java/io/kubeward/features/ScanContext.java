package io.kubeward.features;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleCatalog;
import io.kubeward.engine.network.Connectivity;
import io.kubeward.engine.network.NetworkPolicyAnalyzer;
import io.kubeward.manifest.InputError;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one scenario: the manifests given, the options chosen, and the result of the
 * evaluation. The engine with the built-in rules is built once per JVM and shared (it is
 * thread-safe); a scenario that adds rule folders gets an engine of its own.
 */
public final class ScanContext {

    private static PolicyEngine shared;

    private final ManifestReader reader = new ManifestReader();
    private final List<InputObject> objects = new ArrayList<>();
    private final List<InputError> errors = new ArrayList<>();
    private final List<Path> ruleDirs = new ArrayList<>();
    private EvaluationOptions options = EvaluationOptions.DEFAULT;
    private EvaluationResult result;
    private RuleCatalog catalog;
    private Connectivity connectivity;

    static synchronized PolicyEngine sharedEngine() {
        if (shared == null) {
            shared = PolicyEngine.builder().build();
        }
        return shared;
    }

    /** Where relative paths in steps are resolved: the {@code kubeward.root} system property, else the working folder. */
    public static Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        String root = System.getProperty("kubeward.root");
        return root == null ? p : Path.of(root).resolve(p);
    }

    void add(ReadResult read) {
        objects.addAll(read.objects());
        errors.addAll(read.errors());
        result = null;
        connectivity = null;
    }

    ManifestReader reader() {
        return reader;
    }

    void addRuleDirectory(Path dir) {
        ruleDirs.add(dir);
    }

    void options(EvaluationOptions options) {
        this.options = options;
    }

    EvaluationOptions options() {
        return options;
    }

    EvaluationResult evaluate() {
        PolicyEngine engine = ruleDirs.isEmpty() ? sharedEngine() : buildWithRuleDirs();
        result = engine.evaluateSnapshot(objects, options);
        catalog = engine.catalog();
        return result;
    }

    private PolicyEngine buildWithRuleDirs() {
        PolicyEngine.Builder b = PolicyEngine.builder();
        ruleDirs.forEach(b::addRuleDirectory);
        return b.build();
    }

    /** The reachability the NetworkPolicies of the manifests allow, computed once per scenario. */
    Connectivity connectivity() {
        if (connectivity == null) {
            connectivity = NetworkPolicyAnalyzer.analyze(objects);
        }
        return connectivity;
    }

    EvaluationResult result() {
        if (result == null) {
            throw new IllegalStateException("nothing was scanned yet: add a step such as \"When it is scanned\"");
        }
        return result;
    }

    /** The rules of the engine the last scan ran. */
    RuleCatalog catalog() {
        result();
        return catalog;
    }

    List<InputError> errors() {
        return errors;
    }
}
