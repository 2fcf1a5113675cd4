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

    /**
     * What exemptions match on, of one object: its labels and annotations with those of the pods it
     * runs beneath them (the object's own win), and its containers' images.
     */
    private static final class ObjectInfo {
        private final KubeObject object;
        private final Workload workload;
        private Map<String, String> images;

        ObjectInfo(KubeObject object, Workload workload) {
            this.object = object;
            this.workload = workload;
        }

        String kind() {
            return object.getKind();
        }

        String namespace() {
            return object.getNamespace();
        }

        String name() {
            return object.getName();
        }

        String label(String key) {
            return merged(object.getLabels(), workload == null ? null : workload.getPodLabels(), key);
        }

        String annotation(String key) {
            return merged(object.getAnnotations(), workload == null ? null : workload.getPodAnnotations(), key);
        }

        boolean hasAnnotation(String key) {
            return object.getAnnotations().containsKey(key) || workload != null && workload.getPodAnnotations().containsKey(key);
        }

        /** The object's value, else the pods' (a null value counts as none, as {@code putIfAbsent} has it). */
        private static String merged(Map<String, String> own, Map<String, String> pods, String key) {
            String v = own.get(key);
            return v != null || pods == null ? v : pods.get(key);
        }

        /** Image by container name; the last container of a name wins. */
        Map<String, String> images() {
            if (images == null) {
                images = new HashMap<>();
                if (workload != null) {
                    for (ContainerView c : workload.getContainers()) {
                        images.put(c.getName(), c.getImage());
                    }
                }
            }
            return images;
        }
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
        String list = info.annotation(EXEMPT);
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
                String reason = (info.hasAnnotation(EXEMPT_REASON) ? info.annotation(EXEMPT_REASON) : "").strip();
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
            if (!l.getValue().equals(info.label(l.getKey()))) {
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
     * What exemptions match on, per object: built only for the objects that have findings, and
     * reading the objects' own maps rather than copies (copying every object's labels and
     * annotations cost more than the rules). The first object of a reference counts, and the last
     * workload.
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
            return o == null ? null : new ObjectInfo(o, workloads.get(ref));
        }
    }
}
