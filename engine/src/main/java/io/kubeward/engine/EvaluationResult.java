package io.kubeward.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
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
        findings = sorted(findings);
        nodeExposure = List.copyOf(nodeExposure);
        skipped = List.copyOf(skipped);
    }

    /**
     * The findings in {@link #ORDER}. A large evaluation has 100,000 findings and a comparison by
     * {@link #ORDER} builds two display names, so each finding's keys are computed once and sorted
     * by a comparison that agrees with {@link #ORDER} on every pair (the sort is stable, so the
     * result is the same list).
     */
    private static List<Finding> sorted(List<Finding> findings) {
        int n = findings.size();
        if (n < 2) {
            return List.copyOf(findings);
        }
        Map<ResourceRef, String> displays = new HashMap<>();
        String[] files = new String[n];
        String[] resources = new String[n];
        int i = 0;
        for (Finding f : findings) {
            SourceLocation s = f.source();
            files[i] = s == null || s.file() == null ? "" : s.file();
            resources[i] = displays.computeIfAbsent(f.resource(), ResourceRef::display);
            i++;
        }
        // files and resources compared by rank: their long common prefixes are read once per name, not per comparison
        int[] fileRanks = ranks(files);
        int[] resourceRanks = ranks(resources);
        SortKey[] keys = new SortKey[n];
        i = 0;
        for (Finding f : findings) {
            SourceLocation s = f.source();
            keys[i] = new SortKey(f, fileRanks[i], s == null ? 0 : s.document(), resourceRanks[i], f.path() == null ? "" : f.path());
            i++;
        }
        Arrays.sort(keys);
        Finding[] out = new Finding[n];
        for (i = 0; i < n; i++) {
            out[i] = keys[i].finding;
        }
        return List.of(out);
    }

    /** Each name's place among the distinct names, in their natural order. */
    private static int[] ranks(String[] names) {
        Map<String, Integer> rank = new HashMap<>();
        for (String name : names) {
            rank.putIfAbsent(name, 0);
        }
        String[] distinct = rank.keySet().toArray(new String[0]);
        Arrays.sort(distinct);
        for (int r = 0; r < distinct.length; r++) {
            rank.put(distinct[r], r);
        }
        int[] out = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = rank.get(names[i]);
        }
        return out;
    }

    /** One finding's keys of {@link #ORDER}, computed once; file and resource by their rank. */
    private record SortKey(Finding finding, int file, int document, int resource, String path) implements Comparable<SortKey> {

        @Override
        public int compareTo(SortKey o) {
            int c = Integer.compare(file, o.file);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(document, o.document);
            if (c != 0) {
                return c;
            }
            // equal references have equal display names: comparing the names alone agrees with byDisplay
            c = Integer.compare(resource, o.resource);
            if (c != 0) {
                return c;
            }
            c = o.finding.severity().compareTo(finding.severity());
            if (c != 0) {
                return c;
            }
            c = compare(finding.rule(), o.finding.rule());
            if (c != 0) {
                return c;
            }
            return compare(path, o.path);
        }

        /** Most keys are the same string object (one file, one resource): no need to read them to know they are equal. */
        private static int compare(String a, String b) {
            return a == b ? 0 : a.compareTo(b);
        }
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
