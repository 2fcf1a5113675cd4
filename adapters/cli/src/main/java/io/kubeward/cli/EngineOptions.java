package io.kubeward.cli;

import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.RuleCompilationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
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
        try {
            return buildOrThrow();
        } catch (RuleCompilationException e) {
            printCompileErrors(e, err);
            return null;
        }
    }

    /**
     * Starts building the engine on a thread of its own, so the caller can read its input meanwhile
     * (compiling and reading are both seconds on a large scan); {@link PendingEngine#await} then
     * reports as {@link #build} does.
     */
    PendingEngine buildInBackground() {
        FutureTask<PolicyEngine> task = new FutureTask<>(this::buildOrThrow);
        Thread t = new Thread(task, "kubeward-engine-build");
        t.setDaemon(true);
        t.start();
        return new PendingEngine(task);
    }

    /** An engine being built by {@link #buildInBackground()}. */
    static final class PendingEngine {

        private final FutureTask<PolicyEngine> task;

        private PendingEngine(FutureTask<PolicyEngine> task) {
            this.task = task;
        }

        /**
         * Waits for the engine; prints each compile error and returns null when the rules do not
         * compile. Any other failure of the build is thrown here as it was thrown there.
         */
        PolicyEngine await(PrintWriter err) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return task.get();
                    } catch (InterruptedException e) {
                        interrupted = true; // the build is short: finish waiting, then restore the flag
                    }
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuleCompilationException rce) {
                    printCompileErrors(rce, err);
                    return null;
                }
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(cause);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private PolicyEngine buildOrThrow() {
        if (ruleDirs.isEmpty()) {
            return builtin();
        }
        PolicyEngine.Builder builder = PolicyEngine.builder();
        for (Path dir : ruleDirs) {
            builder.addRuleDirectory(dir);
        }
        return builder.build();
    }

    private static void printCompileErrors(RuleCompilationException e, PrintWriter err) {
        err.println("kubeward: the rules do not compile; nothing was evaluated:");
        e.errors().forEach(x -> err.println("  " + x.display()));
    }
}
