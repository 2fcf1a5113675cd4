package io.kubeward.admission;

import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What each mode checks in one namespace: its Pod Security Standards profile (from the namespace's
 * {@code pod-security.kubernetes.io/<mode>} and {@code -version} labels, else the configured
 * default) and the lowest severity of the general rules that counts.
 *
 * <p>As in Pod Security Admission, a label with an invalid level or version is evaluated as
 * {@code restricted:latest}, and the problem is reported as a warning. A namespace labelled
 * {@code privileged} for a mode has opted out of that mode, kubeward's general rules included; a
 * privileged <em>default</em> from the configuration leaves the general rules on.
 *
 * @param problems invalid label values, for warnings
 */
public record NamespacePolicy(Map<Mode, ModePolicy> modes, List<String> problems) {

    /**
     * One mode in one namespace.
     *
     * @param profile          the Pod Security Standards profile; null when privileged (no {@code pss-} rule counts)
     * @param generalThreshold the lowest severity of the general rules that counts; null: none counts
     */
    public record ModePolicy(PodSecurityProfile profile, Severity generalThreshold) {

        public boolean checksAnything() {
            return profile != null || generalThreshold != null;
        }

        /** e.g. {@code restricted:latest; general rules at high or above}. */
        public String display() {
            String p = profile == null ? "privileged" : profile.display();
            return generalThreshold == null ? p : p + "; general rules at " + generalThreshold.label() + " or above";
        }
    }

    public NamespacePolicy {
        modes = Map.copyOf(modes);
        problems = List.copyOf(problems);
    }

    public ModePolicy mode(Mode m) {
        return modes.get(m);
    }

    /** The policy of a namespace with these labels under this configuration. */
    public static NamespacePolicy of(String namespace, Map<String, String> labels, AdmissionConfig config) {
        Map<Mode, ModePolicy> modes = new EnumMap<>(Mode.class);
        List<String> problems = new ArrayList<>();
        for (Mode m : Mode.values()) {
            PodSecurityProfile fallback = config.defaults().get(m);
            PodSecurityProfile.Level level = fallback.level();
            int minor = fallback.minor();
            boolean optedOut = false;
            boolean invalid = false;
            String levelText = labels.get(m.levelLabel());
            if (levelText != null) {
                try {
                    level = PodSecurityProfile.Level.parse(levelText);
                    optedOut = level == PodSecurityProfile.Level.PRIVILEGED;
                } catch (IllegalArgumentException e) {
                    invalid = true;
                    problems.add("namespace " + namespace + ": label " + m.levelLabel() + "=" + levelText
                            + " is not privileged, baseline or restricted; evaluated as restricted:latest");
                }
            }
            String versionText = labels.get(m.versionLabel());
            if (versionText != null) {
                try {
                    minor = PodSecurityProfile.parseVersion(versionText);
                } catch (IllegalArgumentException e) {
                    invalid = true;
                    problems.add("namespace " + namespace + ": label " + m.versionLabel() + "=" + versionText
                            + " is not latest or v1.<minor>; evaluated as restricted:latest");
                }
            }
            PodSecurityProfile profile;
            if (invalid) {
                profile = PodSecurityProfile.latest(PodSecurityProfile.Level.RESTRICTED);
                optedOut = false;
            } else {
                profile = level == PodSecurityProfile.Level.PRIVILEGED ? null : new PodSecurityProfile(level, minor);
            }
            modes.put(m, new ModePolicy(profile, optedOut ? null : config.generalRules().get(m)));
        }
        return new NamespacePolicy(modes, problems);
    }
}
