package io.kubeward.cli;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.cluster.AuditResult;
import io.kubeward.engine.Finding;
import io.kubeward.engine.RuleCatalog;
import io.kubeward.engine.Severity;
import io.kubeward.engine.SkippedObject;
import io.kubeward.manifest.ReadResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a scan shows: the findings at or above the threshold, with the read and evaluation around them. */
record ScanReport(ReadResult read, EvaluationResult result, Severity threshold, EvaluationOptions options, RuleCatalog catalog,
                  AuditResult audit) {

    ScanReport(ReadResult read, EvaluationResult result, Severity threshold, EvaluationOptions options, RuleCatalog catalog) {
        this(read, result, threshold, options, catalog, null);
    }

    /** For a cluster audit: how many pods a finding's object stands for (1 when not an audit or a bare pod). */
    int podsAffected(Finding f) {
        return audit == null ? 1 : audit.podsAffected(f);
    }

    /** Findings at or above the threshold, exempted ones included (they are shown as such). */
    List<Finding> findings() {
        return result.findingsAtLeast(threshold);
    }

    /** Findings that count: at or above the threshold and not exempted. */
    List<Finding> failing() {
        return result.failingAtLeast(threshold);
    }

    long exempted() {
        return findings().stream().filter(Finding::isExempted).count();
    }

    /** Objects not evaluated, counted by kind. */
    Map<String, Integer> skippedByKind() {
        Map<String, Integer> out = new TreeMap<>();
        for (SkippedObject s : result.skipped()) {
            out.merge(s.resource().kind() == null ? "?" : s.resource().kind(), 1, Integer::sum);
        }
        return out;
    }

    Map<Severity, Integer> countBySeverity() {
        Map<Severity, Integer> out = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (Finding f : failing()) {
            out.merge(f.severity(), 1, Integer::sum);
        }
        return out;
    }
}
