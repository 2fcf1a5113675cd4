package io.kubeward.engine.model;

import io.kubeward.engine.Finding;
import io.kubeward.engine.RuleDescriptor;
import io.kubeward.engine.Severity;
import io.kubeward.engine.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kie.api.definition.rule.Rule;

/**
 * The global {@code findings} of every rule session. A rule reports on a {@link Subject} with the
 * full path of the field at fault and a message a person can act on:
 * <pre>
 * findings.report(drools.getRule(), $c, $c.path("securityContext.privileged"), "...");
 * </pre>
 * The rule's severity and title come from its metadata. One instance per evaluation; not shared
 * between threads.
 */
public final class Findings {

    private final Map<String, RuleDescriptor> rules;
    private final Set<Finding> findings = new LinkedHashSet<>();
    private final Map<Rule, Optional<RuleDescriptor>> byRule = new IdentityHashMap<>();
    private Rule lastRule;
    private RuleDescriptor lastDescriptor;

    /** @param rules descriptor of each DRL rule by "package/rule name" */
    public Findings(Map<String, RuleDescriptor> rules) {
        this.rules = rules;
    }

    public void report(Rule rule, Subject subject, String path, String message) {
        report(rule, subject, path, message, null);
    }

    /**
     * As {@link #report(Rule, Subject, String, String)}, with a severity other than the rule's
     * default for this case (for instance a warning where the outcome depends on what is not known).
     */
    public void report(Rule rule, Subject subject, String path, String message, String severityOverride) {
        RuleDescriptor d = descriptor(rule);
        String id = d == null ? rule.getName() : d.id();
        Severity severity = severityOverride != null ? Severity.parse(severityOverride) : d == null ? Severity.MEDIUM : d.severity();
        String title = d == null ? rule.getName() : d.title();
        SourceLocation where = subject.getSource() == null ? null : subject.getSource().locate(path);
        findings.add(new Finding(id, severity, title, message, subject.getResource(),
                subject.getContainerName(), path, where));
    }

    /**
     * The rule's descriptor, or null for a rule without one. A session's rules are the same objects
     * on every firing, so each is looked up by name once per evaluation, not once per finding.
     */
    private RuleDescriptor descriptor(Rule rule) {
        if (rule == lastRule) {
            return lastDescriptor;
        }
        RuleDescriptor d = byRule.computeIfAbsent(rule, r -> Optional.ofNullable(rules.get(r.getPackageName() + "/" + r.getName())))
                .orElse(null);
        lastRule = rule;
        lastDescriptor = d;
        return d;
    }

    public List<Finding> all() {
        return Collections.unmodifiableList(new ArrayList<>(findings));
    }

    public int size() {
        return findings.size();
    }
}
