package io.kubeward.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.Finding;
import io.kubeward.engine.InputObject;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Audits a live cluster: reads one snapshot of it and evaluates all objects together with
 * {@link PolicyEngine#evaluateSnapshot}, so the cross-resource rules see the real cluster (the
 * Nodes pods are bound to, the NodePorts Services really open).
 *
 * <pre>
 * PolicyEngine engine = PolicyEngine.builder().build();
 * try (ClusterConnection cluster = ClusterConnection.open(ConnectionSettings.defaults().withContext("prod"))) {
 *     AuditResult result = new ClusterAuditor(engine).audit(cluster, AuditScope.allNamespaces());
 *     if (result.partial()) { result.faults().forEach(f -&gt; System.err.println(f.display())); }
 * }
 * </pre>
 *
 * <p>A pod whose controllers are in the snapshot (Pod → ReplicaSet → Deployment, Pod → Job →
 * CronJob) is evaluated through its topmost controller only, and the result counts its pods there:
 * {@link AuditResult#podsAffected}. Bare pods, static pods and pods of owners outside the scope are
 * evaluated as themselves.
 *
 * <p>An audit of one namespace reports on that namespace's objects and its Namespace object; the
 * cluster-scoped objects and other Namespaces it reads are context for the rules, not reported.
 *
 * <p>Thread-safe: it holds only the engine (or where to take it from) and the options.
 */
public final class ClusterAuditor {

    private final Supplier<PolicyEngine> engines;
    private final EvaluationOptions options;

    public ClusterAuditor(PolicyEngine engine) {
        this(engine, EvaluationOptions.DEFAULT);
    }

    public ClusterAuditor(PolicyEngine engine, EvaluationOptions options) {
        this(constant(engine), options);
    }

    /**
     * An auditor whose rules may change while it runs (a watch with reloaded rule folders, say): each
     * evaluation takes the supplier's engine once, so one audit sees one rule set.
     */
    public ClusterAuditor(Supplier<PolicyEngine> engines, EvaluationOptions options) {
        this.engines = Objects.requireNonNull(engines, "engines");
        this.options = Objects.requireNonNull(options, "options");
    }

    private static Supplier<PolicyEngine> constant(PolicyEngine engine) {
        Objects.requireNonNull(engine, "engine");
        return () -> engine;
    }

    /** The engine the next evaluation uses. */
    public PolicyEngine engine() {
        return engines.get();
    }

    public EvaluationOptions options() {
        return options;
    }

    /** Reads and evaluates the cluster. Never throws for cluster failures: they are faults of the result. */
    public AuditResult audit(ClusterConnection cluster, AuditScope scope) {
        return evaluate(read(cluster, scope));
    }

    /** Reads one snapshot of the cluster, page by page. */
    public ClusterSnapshot read(ClusterConnection cluster, AuditScope scope) {
        return new SnapshotReader(cluster, scope).read();
    }

    /** Evaluates a snapshot read earlier, or kept current by a watch. */
    public AuditResult evaluate(ClusterSnapshot snapshot) {
        Source source = Source.of("cluster:" + snapshot.cluster(), 0, 0);
        OwnerFolding.Folded folded = OwnerFolding.fold(snapshot.objects());
        List<InputObject> inputs = new ArrayList<>(folded.kept().size());
        Map<ResourceRef, String> uids = new HashMap<>();
        for (HasMetadata o : folded.kept()) {
            InputObject in = new InputObject(o, source);
            inputs.add(in);
            if (o.getMetadata() != null && o.getMetadata().getUid() != null) {
                uids.put(in.ref(), o.getMetadata().getUid());
            }
        }
        EvaluationResult evaluation = inScope(engines.get().evaluateSnapshot(inputs, options), snapshot.scope());
        return new AuditResult(snapshot.cluster(), snapshot.scope(), snapshot.readAt(), evaluation, snapshot.faults(),
                snapshot.counts(), folded.podsPerOwner(), folded.podsFolded(), snapshot.namespaces(), uids);
    }

    /**
     * In an audit of one namespace the objects around it (Nodes, the other Namespaces, cluster
     * roles) are read as context for the rules; findings on them are not part of the audit.
     */
    private static EvaluationResult inScope(EvaluationResult result, AuditScope scope) {
        String ns = scope.namespace();
        if (ns == null) {
            return result;
        }
        List<Finding> kept = result.findings().stream()
                .filter(f -> ns.equals(f.resource().namespace()) || ("Namespace".equals(f.resource().kind()) && ns.equals(f.resource().name())))
                .toList();
        return kept.size() == result.findings().size() ? result
                : new EvaluationResult(kept, result.nodeExposure(), result.evaluated(), result.skipped());
    }
}
