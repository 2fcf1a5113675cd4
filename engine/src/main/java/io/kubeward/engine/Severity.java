package io.kubeward.engine;

import java.util.Locale;

/** How much a finding matters. Ordered from least to most severe. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    /** Parses a severity name, case-insensitively; fails with the accepted names. */
    public static Severity parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("severity is empty; expected one of info, low, medium, high, critical");
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown severity '" + text + "'; expected one of info, low, medium, high, critical");
        }
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
