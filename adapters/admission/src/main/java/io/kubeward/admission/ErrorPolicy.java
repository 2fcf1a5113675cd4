package io.kubeward.admission;

import java.util.Locale;

/** What a review answers when kubeward itself fails (a rule error, a lookup that fails). */
public enum ErrorPolicy {
    /** Fail closed: deny, with the reason. The default. */
    DENY,
    /** Fail open: allow, with a warning that says why. */
    ALLOW;

    public static ErrorPolicy parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not deny or allow");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
