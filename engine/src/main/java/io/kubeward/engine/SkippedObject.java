package io.kubeward.engine;

/** An object the rules did not evaluate, and why (an unknown kind or a custom resource, say). */
public record SkippedObject(ResourceRef resource, SourceLocation source, String reason) {
}
