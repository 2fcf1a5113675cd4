package io.kubeward.engine;

import io.kubeward.engine.config.Configuration;
import io.kubeward.engine.config.RuleException;
import io.kubeward.engine.model.ContainerView;
import io.kubeward.engine.model.KubeObject;
import io.kubeward.engine.model.Workload;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a {@link Configuration} and the objects' exemption annotations to the findings of one
 * evaluation: severity overrides, rules switched off, and exemptions. Exempted findings stay in the
 * result, marked; an expired exception no longer exempts and leaves an {@value #EXPIRED} finding
 * beside the finding it used to cover.
 */
final class ExemptionPolicy {

    /** Annotation listing rule ids (or {@code rule:container}, or {@code *}) the object is exempt from. */
    static final String EXEMPT = "kubeward.io/exempt";
    static final String EXEMPT_REASON = "kubeward.io/exempt-reason";
    /** The id of the findings that report an expired exception. */
    static final String EXPIRED = "expired-exception";

    private record ObjectInfo(String kind, String namespace, String name, Map<String, String> labels,
                              Map<String, String> annotations, Map<String, String> images) {
    }

    private ExemptionPolicy() {
    }

    static List<Finding> apply(List<Finding> findings, FactSet facts, EvaluationOptions options, Map<String, String> categories) {
        if (findings.isEmpty()) {
            return List.of();
        }
        Configuration config = options.configuration();
        LocalDate today = options.effectiveToday();
        ObjectIndex objects = new ObjectIndex(facts);
        List<Finding> out = new ArrayList<>();
        Set<String> expiredReported = new LinkedHashSet<>();
        for (Finding f : findings) {
            if (!config.isEnabled(f.rule(), categories.get(f.rule()))) {
                continue;
            }
            Severity override = config.severities().get(f.rule());
            if (override != null) {
                f = f.withSeverity(override);
            }
            ObjectInfo info = objects.get(f.resource());
            Exemption byAnnotation = info == null ? null : annotationExemption(f, info);
            if (byAnnotation != null) {
                out.add(f.withExemption(byAnnotation));
                continue;
            }
            Finding result = f;
            for (RuleException e : config.exceptions()) {
                if (!e.coversRule(f.rule()) || info == null || !matches(e, f, info)) {
                    continue;
                }
                if (e.isExpired(today)) {
                    if (expiredReported.add(e.name() + "|" + f.resource() + "|" + f.rule() + "|" + f.path())) {
                        out.add(new Finding(EXPIRED, Severity.LOW, "An exception has expired",
                                "exception '" + e.name() + "' expired on " + e.expires() + " and no longer exempts "
                                        + f.rule() + " at " + f.path() + " (its reason was: " + e.reason() + ")",
                                f.resource(), f.container(), f.path(), f.source()));
                    }
                    continue;
                }
                result = f.withExemption(new Exemption("config:" + e.name(), e.reason()));
                break;
            }
            out.add(result);
        }
        return out;
    }

    private static Exemption annotationExemption(Finding f, ObjectInfo info) {
        String list = info.annotations().get(EXEMPT);
        if (list == null) {
            return null;
        }
        for (String raw : list.split(",")) {
            String entry = raw.strip();
            String rule = entry;
            String container = null;
            int colon = entry.indexOf(':');
            if (colon > 0) {
                rule = entry.substring(0, colon).strip();
                container = entry.substring(colon + 1).strip();
            }
            boolean ruleMatches = rule.equals("*") || rule.equals(f.rule());
            boolean containerMatches = container == null || container.equals(f.container());
            if (ruleMatches && containerMatches) {
                String reason = info.annotations().getOrDefault(EXEMPT_REASON, "").strip();
                return new Exemption("annotation", reason.isEmpty() ? "(no reason given in " + EXEMPT_REASON + ")" : reason);
            }
        }
        return null;
    }

    private static boolean matches(RuleException e, Finding f, ObjectInfo info) {
        if (!e.namespaces().isEmpty() && !e.namespaces().contains(info.namespace() == null ? "default" : info.namespace())) {
            return false;
        }
        if (!e.kinds().isEmpty() && !e.kinds().contains(info.kind())) {
            return false;
        }
        if (!RuleException.anyGlob(e.names(), info.name())) {
            return false;
        }
        for (Map.Entry<String, String> l : e.labels().entrySet()) {
            if (!l.getValue().equals(info.labels().get(l.getKey()))) {
                return false;
            }
        }
        if (!e.containers().isEmpty() && !RuleException.anyGlob(e.containers(), f.container())) {
            return false;
        }
        if (!e.images().isEmpty()) {
            String image = f.container() == null ? null : info.images().get(f.container());
            if (f.container() == null) {
                // a pod-level finding is covered only when every container runs a matching image
                return !info.images().isEmpty() && info.images().values().stream().allMatch(i -> RuleException.anyGlob(e.images(), i));
            }
            return RuleException.anyGlob(e.images(), image);
        }
        return true;
    }

    /**
     * What exemptions match on, per object: built only for the objects that have findings (most
     * objects of a large evaluation have none, and copying every object's labels and annotations
     * cost more than the rules). The first object of a reference counts, and the last workload.
     */
    private static final class ObjectIndex {
        private final FactSet facts;
        private Map<ResourceRef, KubeObject> objects;
        private Map<ResourceRef, Workload> workloads;
        private final Map<ResourceRef, ObjectInfo> infos = new HashMap<>();

        ObjectIndex(FactSet facts) {
            this.facts = facts;
        }

        ObjectInfo get(ResourceRef ref) {
            if (objects == null) {
                objects = new HashMap<>();
                for (KubeObject o : facts.objects) {
                    objects.putIfAbsent(o.getResource(), o);
                }
                workloads = new HashMap<>();
                for (Workload w : facts.workloads) {
                    workloads.put(w.getResource(), w);
                }
            }
            return infos.computeIfAbsent(ref, this::info);
        }

        private ObjectInfo info(ResourceRef ref) {
            KubeObject o = objects.get(ref);
            if (o == null) {
                return null;
            }
            Map<String, String> labels = new HashMap<>(o.getLabels());
            Map<String, String> annotations = new HashMap<>(o.getAnnotations());
            Map<String, String> images = new HashMap<>();
            Workload w = workloads.get(ref);
            if (w != null) {
                w.getPodLabels().forEach(labels::putIfAbsent);
                w.getPodAnnotations().forEach(annotations::putIfAbsent);
                for (ContainerView c : w.getContainers()) {
                    images.put(c.getName(), c.getImage());
                }
            }
            return new ObjectInfo(o.getKind(), o.getNamespace(), o.getName(), labels, annotations, images);
        }
    }
}
