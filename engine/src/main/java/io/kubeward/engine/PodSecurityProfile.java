package io.kubeward.engine;

import java.util.Locale;

/**
 * A Pod Security Standards level pinned to a policy version, as the namespace labels
 * {@code pod-security.kubernetes.io/<mode>: <level>} and {@code <mode>-version: v1.<minor>} do.
 * {@code latest} is the newest version this release knows.
 *
 * @param minor the Kubernetes minor version of the policy (v1.29 → 29)
 */
public record PodSecurityProfile(Level level, int minor) {

    /** The newest policy version this release implements. */
    public static final int LATEST_MINOR = 37;

    public enum Level {
        PRIVILEGED, BASELINE, RESTRICTED;

        public static Level parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("unknown Pod Security level '" + text + "'; expected privileged, baseline or restricted");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PodSecurityProfile {
        if (level == null) {
            throw new IllegalArgumentException("level is required");
        }
        if (minor < 0) {
            throw new IllegalArgumentException("policy version must be v1.0 or later");
        }
        minor = Math.min(minor, LATEST_MINOR);
    }

    public static PodSecurityProfile of(String level, String version) {
        return new PodSecurityProfile(Level.parse(level), parseVersion(version));
    }

    public static PodSecurityProfile latest(Level level) {
        return new PodSecurityProfile(level, LATEST_MINOR);
    }

    /** Parses {@code latest}, {@code v1.29} or {@code 1.29}; later versions than known mean latest. */
    public static int parseVersion(String version) {
        if (version == null || version.isBlank() || version.strip().equalsIgnoreCase("latest")) {
            return LATEST_MINOR;
        }
        String v = version.strip();
        if (v.startsWith("v")) {
            v = v.substring(1);
        }
        String[] parts = v.split("\\.");
        try {
            if (parts.length == 2 && Integer.parseInt(parts[0]) == 1) {
                return Math.min(Integer.parseInt(parts[1]), LATEST_MINOR);
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw new IllegalArgumentException("invalid policy version '" + version + "'; expected latest or v1.<minor>, e.g. v1.29");
    }

    public boolean isBaselineOrHigher() {
        return level != Level.PRIVILEGED;
    }

    public boolean isRestricted() {
        return level == Level.RESTRICTED;
    }

    /** True when the policy version is at least v1.{@code minor}. */
    public boolean atLeast(int minorVersion) {
        return minor >= minorVersion;
    }

    public String version() {
        return "v1." + minor;
    }

    public String display() {
        return level.label() + ":" + (minor == LATEST_MINOR ? "latest" : version());
    }
}
