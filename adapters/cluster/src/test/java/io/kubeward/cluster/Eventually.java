package io.kubeward.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits for what happens on other threads: poll briefly until true, fail after a timeout. */
final class Eventually {

    static final Duration DEFAULT = Duration.ofSeconds(20);

    private Eventually() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition, () -> "");
    }

    static void until(String what, BooleanSupplier condition, Supplier<String> state) {
        until(what, DEFAULT, condition, state);
    }

    static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + " " + state.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }
}
