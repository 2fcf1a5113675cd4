package io.kubeward.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code kubeward serve} run in this JVM on a thread of its own, as the serve tests drive it. */
final class InProcessServe {

    private InProcessServe() {
    }

    /**
     * Starts the command with these arguments ({@code "serve", ...}), its output in {@code out} and
     * {@code err}, and waits until it listens ({@link ServeCommand#running} has its port); fails the
     * test if it ends first. Returns its exit code, once {@code ServeCommand.running.shutdown()}.
     */
    static CompletableFuture<Integer> start(StringWriter out, StringWriter err, String... args) throws InterruptedException {
        ServeCommand.running = null;
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> KubewardCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while ((ServeCommand.running == null || ServeCommand.running.port() <= 0) && !exit.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(exit.isDone(), "serve ended early: " + err);
        return exit;
    }
}
