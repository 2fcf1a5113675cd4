package io.kubeward.engine;

/**
 * One rule violation: which rule, how severe, on which object and container, at which field path
 * of the original object, and where in the input that field sits (null when not from a file).
 * An exempted finding stays in the results with its {@link Exemption}; it no longer counts
 * toward failures.
 */
public record Finding(
        String rule,
        Severity severity,
        String title,
        String message,
        ResourceRef resource,
        String container,
        String path,
        SourceLocation source,
        Exemption exemption) {

    public Finding(String rule, Severity severity, String title, String message, ResourceRef resource,
                   String container, String path, SourceLocation source) {
        this(rule, severity, title, message, resource, container, path, source, null);
    }

    public boolean isExempted() {
        return exemption != null;
    }

    public Finding withSeverity(Severity s) {
        return new Finding(rule, s, title, message, resource, container, path, source, exemption);
    }

    public Finding withExemption(Exemption e) {
        return new Finding(rule, severity, title, message, resource, container, path, source, e);
    }
}
