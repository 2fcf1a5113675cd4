package io.kubeward.engine;

import java.util.List;

/**
 * A rule as its users see it, read from the rule's own DRL metadata
 * ({@code @severity}, {@code @title}, {@code @rationale}, {@code @remediation}, {@code @docs},
 * {@code @category}, {@code @fields}).
 *
 * @param pack   the DRL package the rule lives in, e.g. {@code kubeward.hostnamespaces}
 * @param origin the resource the rule was read from
 * @param fields the object fields the rule inspects, relative to the pod spec or object
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
        String origin) {

    public RuleDescriptor {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }
}
