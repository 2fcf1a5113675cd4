package io.kubeward.cluster;

import io.kubeward.engine.PolicyEngine;

/** One engine with the built-in rules for all tests of a JVM: compiling the rules is the slow part. */
final class TestEngine {

    private static PolicyEngine engine;

    private TestEngine() {
    }

    static synchronized PolicyEngine get() {
        if (engine == null) {
            engine = PolicyEngine.builder().build();
        }
        return engine;
    }
}
