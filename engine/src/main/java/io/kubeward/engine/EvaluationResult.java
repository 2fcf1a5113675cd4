package io.kubeward.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an evaluation found: the findings, the node exposure of the workloads and Services, how many
 * objects were evaluated, and which were not (with a reason). Immutable.
 */
public record EvaluationResult(
        List<Finding> findings,
        List<NodeExposure> nodeExposure,
        int evaluated,
        List<SkippedObject> skipped) {

    public static final Comparator<Finding> ORDER = Comparator
            .comparing((Finding f) -> f.source() == null || f.source().file() == null ? "" : f.source().file())
            .thenComparingInt(f -> f.source() == null ? 0 : f.source().document())
            .thenComparing(Finding::resource, EvaluationResult::byDisplay)
            .thenComparing(f -> f.severity(), Comparator.reverseOrder())
            .thenComparing(Finding::rule)
            .thenComparing(f -> f.path() == null ? "" : f.path());

    /** Resources in the order of their display names; the same resource without building them. */
    private static int byDisplay(ResourceRef a, ResourceRef b) {
        return a.equals(b) ? 0 : a.display().compareTo(b.display());
    }

    public EvaluationResult {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(ORDER);
        findings = List.copyOf(sorted);
        nodeExposure = List.copyOf(nodeExposure);
        skipped = List.copyOf(skipped);
    }

    public static EvaluationResult empty() {
        return new EvaluationResult(List.of(), List.of(), 0, List.of());
    }

    /** The findings at or above a severity, exempted ones included. */
    public List<Finding> findingsAtLeast(Severity min) {
        return findings.stream().filter(f -> f.severity().atLeast(min)).toList();
    }

    /** The findings that count: at or above a severity and not exempted. */
    public List<Finding> failingAtLeast(Severity min) {
        return findings.stream().filter(f -> !f.isExempted() && f.severity().atLeast(min)).toList();
    }

    /** Count of findings that are not exempted, per severity, most severe first. */
    public Map<Severity, Integer> countBySeverity() {
        Map<Severity, Integer> out = new TreeMap<>(Comparator.reverseOrder());
        for (Finding f : findings) {
            if (f.isExempted()) {
                continue;
            }
            out.merge(f.severity(), 1, Integer::sum);
        }
        return out;
    }

    /** This result and another, as one (for batches evaluated object by object). */
    public EvaluationResult merge(EvaluationResult other) {
        List<Finding> f = new ArrayList<>(findings);
        f.addAll(other.findings);
        List<NodeExposure> e = new ArrayList<>(nodeExposure);
        e.addAll(other.nodeExposure);
        List<SkippedObject> s = new ArrayList<>(skipped);
        s.addAll(other.skipped);
        return new EvaluationResult(f, e, evaluated + other.evaluated, s);
    }
}
