package io.kubeward.cli;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.cluster.AuditResult;
import io.kubeward.engine.Finding;
import io.kubeward.engine.RuleCatalog;
import io.kubeward.engine.Severity;
import io.kubeward.engine.SkippedObject;
import io.kubeward.manifest.ReadResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a scan shows: the findings at or above the threshold, with the read and evaluation around them.
 * The selections and counts are made once here, in one pass over the findings: every report format
 * reads them, some per finding.
 */
final class ScanReport {

    private final ReadResult read;
    private final EvaluationResult result;
    private final Severity threshold;
    private final EvaluationOptions options;
    private final RuleCatalog catalog;
    private final AuditResult audit;
    private final List<Finding> findings;
    private final List<Finding> failing;
    private final long exempted;
    private final Map<Severity, Integer> countBySeverity;

    ScanReport(ReadResult read, EvaluationResult result, Severity threshold, EvaluationOptions options, RuleCatalog catalog,
               AuditResult audit) {
        this.read = read;
        this.result = result;
        this.threshold = threshold;
        this.options = options;
        this.catalog = catalog;
        this.audit = audit;
        List<Finding> shown = new ArrayList<>();
        List<Finding> counting = new ArrayList<>();
        Map<Severity, Integer> bySeverity = new TreeMap<>(Comparator.reverseOrder());
        long exemptedCount = 0;
        for (Finding f : result.findings()) {
            if (!f.severity().atLeast(threshold)) {
                continue;
            }
            shown.add(f);
            if (f.isExempted()) {
                exemptedCount++;
            } else {
                counting.add(f);
                bySeverity.merge(f.severity(), 1, Integer::sum);
            }
        }
        this.findings = Collections.unmodifiableList(shown);
        this.failing = Collections.unmodifiableList(counting);
        this.exempted = exemptedCount;
        this.countBySeverity = Collections.unmodifiableMap(bySeverity);
    }

    ScanReport(ReadResult read, EvaluationResult result, Severity threshold, EvaluationOptions options, RuleCatalog catalog) {
        this(read, result, threshold, options, catalog, null);
    }

    ReadResult read() {
        return read;
    }

    EvaluationResult result() {
        return result;
    }

    Severity threshold() {
        return threshold;
    }

    EvaluationOptions options() {
        return options;
    }

    RuleCatalog catalog() {
        return catalog;
    }

    /** The audit this report is of, or null for a scan of manifests. */
    AuditResult audit() {
        return audit;
    }

    /** For a cluster audit: how many pods a finding's object stands for (1 when not an audit or a bare pod). */
    int podsAffected(Finding f) {
        return audit == null ? 1 : audit.podsAffected(f);
    }

    /** Findings at or above the threshold, exempted ones included (they are shown as such). */
    List<Finding> findings() {
        return findings;
    }

    /** Findings that count: at or above the threshold and not exempted. */
    List<Finding> failing() {
        return failing;
    }

    long exempted() {
        return exempted;
    }

    /** Objects not evaluated, counted by kind. */
    Map<String, Integer> skippedByKind() {
        Map<String, Integer> out = new TreeMap<>();
        for (SkippedObject s : result.skipped()) {
            out.merge(s.resource().kind() == null ? "?" : s.resource().kind(), 1, Integer::sum);
        }
        return out;
    }

    /** Findings that count, per severity, most severe first; severities without any are absent. */
    Map<Severity, Integer> countBySeverity() {
        return countBySeverity;
    }
}
