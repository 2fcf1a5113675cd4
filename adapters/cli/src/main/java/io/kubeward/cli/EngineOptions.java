package io.kubeward.cli;

import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleCompilationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that build an engine: the user's rule folders. */
final class EngineOptions {

    @Option(names = "--rules", paramLabel = "DIR",
            description = "A folder of DRL rules to add to the built-in packs (repeatable).")
    List<Path> ruleDirs = new ArrayList<>();

    /** The engine of the built-in packs alone, compiled once per process (it is immutable and thread-safe). */
    private static PolicyEngine builtin;

    private static synchronized PolicyEngine builtin() {
        if (builtin == null) {
            builtin = PolicyEngine.builder().build();
        }
        return builtin;
    }

    /**
     * Compiles the built-in packs and the rule folders anew (for a reload).
     *
     * @throws io.kubeward.engine.RuleCompilationException when they do not compile
     */
    PolicyEngine compile() {
        PolicyEngine.Builder builder = PolicyEngine.builder();
        for (Path dir : ruleDirs) {
            builder.addRuleDirectory(dir);
        }
        return builder.build();
    }

    /**
     * A factory for a {@link io.kubeward.engine.ReloadingPolicyEngine}: the engine already built first,
     * then a fresh compile on each call.
     */
    static java.util.function.Supplier<PolicyEngine> firstThen(PolicyEngine first, java.util.function.Supplier<PolicyEngine> next) {
        java.util.concurrent.atomic.AtomicReference<PolicyEngine> pending = new java.util.concurrent.atomic.AtomicReference<>(first);
        return () -> {
            PolicyEngine e = pending.getAndSet(null);
            return e != null ? e : next.get();
        };
    }

    /** Builds the engine, or prints each compile error and returns null. */
    PolicyEngine build(PrintWriter err) {
        if (ruleDirs.isEmpty()) {
            return builtin();
        }
        PolicyEngine.Builder builder = PolicyEngine.builder();
        for (Path dir : ruleDirs) {
            builder.addRuleDirectory(dir);
        }
        try {
            return builder.build();
        } catch (RuleCompilationException e) {
            err.println("kubeward: the rules do not compile; nothing was evaluated:");
            e.errors().forEach(x -> err.println("  " + x.display()));
            return null;
        }
    }
}
