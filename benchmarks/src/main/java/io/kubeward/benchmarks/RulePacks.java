package io.kubeward.benchmarks;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleSource;
import java.util.List;

/** Engines with one built-in rule pack (its folder under {@code kubeward/rules/}) or all of them. */
final class RulePacks {

    /** The value of {@link #engine} for every built-in rule. */
    static final String ALL = "all";

    /** The options of every throughput benchmark: the Pod Security Standards restricted profile at the latest version. */
    static final EvaluationOptions RESTRICTED = new EvaluationOptions(PodSecurityProfile.latest(PodSecurityProfile.Level.RESTRICTED));

    /** The area of the throughput figures. */
    static final String AREA = "Rule evaluation";

    /** The packs measured one by one, then {@value #ALL}. */
    static final List<String> PACKS = List.of("host-namespaces", "pod-security", "security-context", "network", "pod-security-policy", ALL);

    /** The measure of the plain-Java yardstick. */
    static final String PLAIN_JAVA = "plain Java, the restricted controls";

    private RulePacks() {
    }

    /** The measure naming a pack's throughput in the figures table. */
    static String measure(String pack) {
        return switch (pack) {
            case ALL -> "all built-in rules, every input kind";
            case "pod-security" -> "pod-security pack, restricted";
            case "network" -> "network pack, with Namespaces, NetworkPolicies, Services";
            case "pod-security-policy" -> "pod-security-policy pack, with 2 policies";
            default -> pack + " pack";
        };
    }

    /** An engine with the rules of one pack ({@code pod-security}, {@code network}, ...), or {@value #ALL}. */
    static PolicyEngine engine(String pack) {
        if (pack.equals(ALL)) {
            return PolicyEngine.builder().build();
        }
        List<RuleSource> sources = RuleSource.builtin(RulePacks.class.getClassLoader()).stream()
                .filter(s -> s.name().contains("/" + pack + "/")).toList();
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no built-in rule pack '" + pack + "'");
        }
        return PolicyEngine.builder().withoutBuiltinRules().addRules(sources).build();
    }
}
