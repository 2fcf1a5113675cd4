package io.kubeward.engine;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every rule a {@link PolicyEngine} runs, by id, sorted by id. */
public final class RuleCatalog {

    private final Map<String, RuleDescriptor> rules;

    RuleCatalog(List<RuleDescriptor> descriptors) {
        Map<String, RuleDescriptor> byId = new LinkedHashMap<>();
        descriptors.stream()
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .forEach(d -> byId.put(d.id(), d));
        this.rules = Collections.unmodifiableMap(byId);
    }

    public Collection<RuleDescriptor> all() {
        return rules.values();
    }

    public Optional<RuleDescriptor> find(String id) {
        return Optional.ofNullable(rules.get(id));
    }

    public RuleDescriptor get(String id) {
        RuleDescriptor d = rules.get(id);
        if (d == null) {
            throw new IllegalArgumentException("no rule with id '" + id + "'");
        }
        return d;
    }

    public int size() {
        return rules.size();
    }
}
