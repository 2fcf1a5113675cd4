package io.kubeward.cli;

import io.kubeward.engine.ReloadingPolicyEngine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Polls the user's rule folders for the long-running commands ({@code serve}, {@code audit --watch}):
 * a change is compiled in a background thread and swapped in; a change that does not compile is
 * reported and the previous rules keep running. What happened is logged and handed to the listener
 * (a metric, a new audit).
 */
final class RuleReloader implements AutoCloseable {

    private final ScheduledExecutorService thread;

    private RuleReloader(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    /**
     * Starts polling every {@code seconds} (at least one).
     *
     * @param command  the command name for the log lines
     * @param listener told of every reload, swapped or not
     */
    static RuleReloader start(ReloadingPolicyEngine engines, List<Path> dirs, long seconds, String command,
                              PrintWriter err, Consumer<ReloadingPolicyEngine.Outcome> listener) {
        FileWatch watch = new FileWatch(dirs, FileWatch.RULES);
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubeward-rule-reload");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, seconds);
        thread.scheduleWithFixedDelay(() -> {
            try {
                if (!watch.changed()) {
                    return;
                }
                ReloadingPolicyEngine.Outcome o = engines.reload();
                synchronized (err) {
                    if (o.swapped()) {
                        err.println("kubeward " + command + ": rules changed; now running " + o.rules() + " rules");
                    } else {
                        err.println("kubeward " + command + ": rules changed but do not compile; the previous rules keep running ("
                                + engines.failedReloads() + " failed reload(s)):\n" + o.error());
                    }
                    err.flush();
                }
                listener.accept(o);
            } catch (RuntimeException e) {
                synchronized (err) {
                    err.println("kubeward " + command + ": cannot check the rule folders: " + e.getMessage());
                    err.flush();
                }
            }
        }, every, every, TimeUnit.SECONDS);
        return new RuleReloader(thread);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
