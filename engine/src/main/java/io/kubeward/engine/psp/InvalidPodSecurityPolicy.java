package io.kubeward.engine.psp;

import io.kubeward.engine.ResourceRef;
import io.kubeward.engine.Source;
import io.kubeward.engine.model.Subject;
import java.util.List;

/**
 * A PodSecurityPolicy of a scan's input that the API server would refuse, with its problems: the
 * fact rule {@code psp-invalid-policy} reports. It admits no pod.
 */
public final class InvalidPodSecurityPolicy implements Subject {

    private final ResourceRef resource;
    private final Source source;
    private final List<PolicyProblem> problems;

    InvalidPodSecurityPolicy(ResourceRef resource, Source source, List<PolicyProblem> problems) {
        this.resource = resource;
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String getName() {
        return resource.name();
    }

    public List<PolicyProblem> getProblems() {
        return problems;
    }

    @Override
    public ResourceRef getResource() {
        return resource;
    }

    @Override
    public Source getSource() {
        return source;
    }

    @Override
    public String toString() {
        return resource.display();
    }
}
