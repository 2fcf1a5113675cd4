package io.kubeward.engine.psp;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A PodSecurityPolicy rule for user or group ids ({@code runAsUser}, {@code runAsGroup},
 * {@code supplementalGroups}, {@code fsGroup}): the rule name and its ranges.
 * <ul>
 *   <li>{@code MustRunAs}: the id must be set and in a range; the first range's minimum is the default;</li>
 *   <li>{@code MayRunAs}: the id may be left unset; when set it must be in a range;</li>
 *   <li>{@code MustRunAsNonRoot} (runAsUser only): the container must not run as root;</li>
 *   <li>{@code RunAsAny}: anything goes.</li>
 * </ul>
 */
public final class IdStrategy {

    /** The rule names of the API, with the field names they are valid for. */
    public enum Rule {
        MUST_RUN_AS("MustRunAs"),
        MAY_RUN_AS("MayRunAs"),
        MUST_RUN_AS_NON_ROOT("MustRunAsNonRoot"),
        RUN_AS_ANY("RunAsAny");

        private final String apiName;

        Rule(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }
    }

    /** No restriction: what an unset {@code runAsGroup} means. */
    public static final IdStrategy RUN_AS_ANY = new IdStrategy(Rule.RUN_AS_ANY, List.of());

    private final Rule rule;
    private final List<IdRange> ranges;

    public IdStrategy(Rule rule, List<IdRange> ranges) {
        this.rule = rule;
        this.ranges = List.copyOf(ranges);
    }

    public Rule getRule() {
        return rule;
    }

    public List<IdRange> getRanges() {
        return ranges;
    }

    public boolean isMustRunAs() {
        return rule == Rule.MUST_RUN_AS;
    }

    public boolean isMayRunAs() {
        return rule == Rule.MAY_RUN_AS;
    }

    public boolean isMustRunAsNonRoot() {
        return rule == Rule.MUST_RUN_AS_NON_ROOT;
    }

    public boolean isRunAsAny() {
        return rule == Rule.RUN_AS_ANY;
    }

    /** True for the rules whose ranges limit the ids (MustRunAs, MayRunAs). */
    public boolean isRanged() {
        return rule == Rule.MUST_RUN_AS || rule == Rule.MAY_RUN_AS;
    }

    /**
     * True when the rule admits the id: any id for the unranged rules; under MayRunAs an unset id or
     * one within a range; under MustRunAs only an id within a range.
     */
    public boolean allows(Long id) {
        if (!isRanged()) {
            return true;
        }
        if (id == null) {
            return rule == Rule.MAY_RUN_AS;
        }
        return ranges.stream().anyMatch(r -> r.contains(id));
    }

    /** The id set when none is: the first range's minimum under MustRunAs, else null. */
    public Long getDefaultId() {
        return isMustRunAs() && !ranges.isEmpty() ? ranges.get(0).min() : null;
    }

    /** e.g. {@code 2-10, 20-30}. */
    public String describeRanges() {
        return ranges.stream().map(IdRange::toString).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return rule.apiName() + (ranges.isEmpty() ? "" : " " + describeRanges());
    }
}
