package io.kubeward.engine;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A {@link PolicyEngine} that long-running modes (the webhook server, the watching auditor) can
 * swap for a newly compiled one while they serve. {@link #reload()} compiles in the calling thread
 * (call it from a background thread); only a rule set that compiles replaces the running one, in one
 * atomic step, so a broken change keeps the old rules running and is reported through
 * {@link #lastError()} and {@link #failedReloads()}. Thread-safe.
 */
public final class ReloadingPolicyEngine {

    /** What one reload did. */
    public record Outcome(boolean swapped, int rules, String error, Instant at) {
    }

    private final Supplier<PolicyEngine> factory;
    private final AtomicReference<PolicyEngine> current;
    private final AtomicReference<Outcome> last = new AtomicReference<>();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * Builds the first engine with the factory; that one must compile.
     *
     * @throws RuleCompilationException when the initial rule set does not compile
     */
    public ReloadingPolicyEngine(Supplier<PolicyEngine> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.current = new AtomicReference<>(factory.get());
    }

    /** The engine to evaluate with now. Take it once per request, so one request sees one rule set. */
    public PolicyEngine current() {
        return current.get();
    }

    /** Compiles the rules again and swaps them in when they compile; otherwise keeps the running ones. */
    public synchronized Outcome reload() {
        Outcome outcome;
        try {
            PolicyEngine next = factory.get();
            current.set(next);
            reloads.incrementAndGet();
            outcome = new Outcome(true, next.catalog().size(), null, Instant.now());
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            outcome = new Outcome(false, current.get().catalog().size(), e.getMessage(), Instant.now());
        }
        last.set(outcome);
        return outcome;
    }

    /** The error of the last reload, or null when it succeeded (or none happened). */
    public String lastError() {
        Outcome o = last.get();
        return o == null ? null : o.error();
    }

    public Outcome lastOutcome() {
        return last.get();
    }

    public long successfulReloads() {
        return reloads.get();
    }

    public long failedReloads() {
        return failed.get();
    }
}
