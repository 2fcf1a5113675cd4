package io.kubeward.admission;

import java.util.Locale;

/**
 * The three modes of Pod Security Admission, which kubeward keeps: {@code enforce} denies,
 * {@code warn} answers with warnings, {@code audit} records without denying.
 */
public enum Mode {
    ENFORCE, AUDIT, WARN;

    /** {@code enforce}, {@code audit} or {@code warn}, as in the namespace labels. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The namespace label that sets this mode's level, e.g. {@code pod-security.kubernetes.io/enforce}. */
    public String levelLabel() {
        return "pod-security.kubernetes.io/" + label();
    }

    /** The namespace label that pins this mode's policy version. */
    public String versionLabel() {
        return levelLabel() + "-version";
    }
}
