package io.kubeward.engine;

import java.util.List;

/**
 * A rule as its users see it, read from the rule's own DRL metadata
 * ({@code @severity}, {@code @title}, {@code @rationale}, {@code @remediation}, {@code @docs},
 * {@code @category}, {@code @fields}, {@code @control}, {@code @optIn}).
 *
 * @param pack    the DRL package the rule lives in, e.g. {@code kubeward.hostnamespaces}
 * @param origin  the resource the rule was read from
 * @param fields  the object fields the rule inspects, relative to the pod spec or object
 * @param control the control of an outside standard the rule implements, as that standard names
 *                it (the Pod Security Standards check id, e.g. {@code hostNamespaces}); "" for none
 * @param optIn   true when the rule runs only if an evaluation enables it
 *                ({@link EvaluationOptions#optInRules()})
 */
public record RuleDescriptor(
        String id,
        String pack,
        Severity severity,
        String title,
        String category,
        String rationale,
        String remediation,
        String docs,
        List<String> fields,
        String origin,
        String control,
        boolean optIn) {

    public RuleDescriptor {
        fields = fields == null ? List.of() : List.copyOf(fields);
        control = control == null ? "" : control;
    }

    /** A rule of no outside standard that always runs. */
    public RuleDescriptor(String id, String pack, Severity severity, String title, String category, String rationale,
                          String remediation, String docs, List<String> fields, String origin) {
        this(id, pack, severity, title, category, rationale, remediation, docs, fields, origin, "", false);
    }

    /** True when the rule implements a control of an outside standard ({@link #control()}). */
    public boolean hasControl() {
        return !control.isEmpty();
    }
}
