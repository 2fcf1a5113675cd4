package io.kubeward.engine;

/**
 * One rule violation: which rule, how severe, on which object and container, at which field path
 * of the original object, and where in the input that field sits (null when not from a file).
 */
public record Finding(
        String rule,
        Severity severity,
        String title,
        String message,
        ResourceRef resource,
        String container,
        String path,
        SourceLocation source) {
}
