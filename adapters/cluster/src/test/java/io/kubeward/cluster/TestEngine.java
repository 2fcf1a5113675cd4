package io.kubeward.cluster;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleDescriptor;
import io.kubeward.engine.config.Configuration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One engine with the built-in rules for all tests of a JVM: compiling the rules is the slow part. */
final class TestEngine {

    private static PolicyEngine engine;

    private TestEngine() {
    }

    /**
     * Options that run one category of rules only, for tests that count findings: other packs
     * (network, pod security) have findings of their own on the same objects.
     */
    static EvaluationOptions only(String category) {
        Map<String, Boolean> off = new HashMap<>();
        for (RuleDescriptor d : get().catalog().all()) {
            if (!d.category().equals(category)) {
                off.put(d.category(), false);
            }
        }
        return EvaluationOptions.DEFAULT.withConfiguration(new Configuration(Map.of(), off, Map.of(), null, List.of()));
    }

    /** An auditor running the host-namespace rules only. */
    static ClusterAuditor hostNamespaceAuditor() {
        return new ClusterAuditor(get(), only("host-namespaces"));
    }

    static synchronized PolicyEngine get() {
        if (engine == null) {
            engine = PolicyEngine.builder().build();
        }
        return engine;
    }
}
