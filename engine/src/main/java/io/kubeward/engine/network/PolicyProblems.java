package io.kubeward.engine.network;

import io.kubeward.engine.Source;
import io.kubeward.engine.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one NetworkPolicy while it is compiled. */
final class PolicyProblems {

    private final String policy;
    private final Source source;
    private final List<NetworkPolicyValidationException.Problem> problems = new ArrayList<>();

    PolicyProblems(String policy, Source source) {
        this.policy = policy;
        this.source = source;
    }

    void add(String field, String message) {
        SourceLocation where = source == null ? null : source.locate(field);
        problems.add(new NetworkPolicyValidationException.Problem(policy, field, message, where));
    }

    List<NetworkPolicyValidationException.Problem> all() {
        return List.copyOf(problems);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }
}
