package io.kubeward.engine;

/**
 * Why a finding does not count: an exception of the configuration (by its name) or the object's
 * {@code kubeward.io/exempt} annotation, with the reason given for it.
 *
 * @param source {@code "config:<exception name>"} or {@code "annotation"}
 */
public record Exemption(String source, String reason) {
}
