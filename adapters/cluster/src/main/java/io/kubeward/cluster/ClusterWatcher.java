package io.kubeward.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubeward.cluster.AuditFault.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an audit of a live cluster current: one informer per {@link ResourceKind} keeps a cache of
 * the scope's objects; after every change (once changes settle) and at every resync the cached
 * snapshot is audited as a whole and handed to the listener. Findings appear and clear as objects
 * change.
 *
 * <pre>
 * PolicyReportWriter reports = new PolicyReportWriter(engine.catalog());
 * try (ClusterWatcher watcher = ClusterWatcher.start(cluster, AuditScope.allNamespaces(), new ClusterAuditor(engine),
 *         WatchSettings.defaults().withResync(Duration.ofMinutes(5)),
 *         result -&gt; reports.apply(result, cluster.client()))) {
 *     // runs until close(), e.g. from a shutdown hook on SIGTERM
 * }
 * </pre>
 *
 * <p>Faults: a kind the account may not list or watch (401/403/404) is left out and the results are
 * partial; it is tried again at each resync. A dropped connection is retried with back-off and the
 * results are partial until the kind is listed again. A watch that expires (410 Gone) is re-listed
 * at once. Each of these is also passed to {@link Listener#onNotice}.
 *
 * <p>The listener is called on the watcher's own thread, one call at a time; {@link #close()} stops
 * the informers and that thread, and waits for an audit in progress to finish.
 */
public final class ClusterWatcher implements AutoCloseable {

    /** Receives the audits of a watcher. */
    @FunctionalInterface
    public interface Listener {

        /** A new audit of the current snapshot. */
        void onAudit(AuditResult result);

        /**
         * Something happened to the watch that does not end it: a kind could not be listed, a watch
         * expired and was re-listed, the connection dropped and is retried.
         */
        default void onNotice(AuditFault notice) {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatcher.class);

    private final ClusterConnection cluster;
    private final AuditScope scope;
    private final ClusterAuditor auditor;
    private final WatchSettings settings;
    private final Listener listener;
    private final FaultClassifier classifier;
    private final ScheduledExecutorService thread;
    private final Map<ResourceKind, SharedIndexInformer<? extends HasMetadata>> informers = new ConcurrentHashMap<>();
    /** Faults that make the current snapshot partial, by kind. */
    private final Map<ResourceKind, AuditFault> faults = new ConcurrentHashMap<>();
    /** Kinds whose watch failed since their last list: the next re-list is a recovery, not an expiry. */
    private final Map<ResourceKind, Boolean> failedSinceList = new ConcurrentHashMap<>();
    /** True while an audit is scheduled; true from the start, since start() audits once itself. */
    private final AtomicBoolean auditPending = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile AuditResult current;

    private ClusterWatcher(ClusterConnection cluster, AuditScope scope, ClusterAuditor auditor, WatchSettings settings, Listener listener) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.auditor = Objects.requireNonNull(auditor, "auditor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.classifier = new FaultClassifier(cluster);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kubeward-watch-" + cluster.name());
            t.setDaemon(true);
            return t;
        });
        // on close, scheduled audits and resyncs are dropped; one in progress finishes
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.thread = executor;
    }

    /**
     * Starts watching: lists every kind (waiting at most the settings' start timeout), audits the
     * snapshot once, hands that audit to the listener, and returns. From then on the listener gets
     * an audit after every change and at every resync, until {@link #close()}.
     */
    public static ClusterWatcher start(ClusterConnection cluster, AuditScope scope, ClusterAuditor auditor,
                                       WatchSettings settings, Listener listener) {
        ClusterWatcher w = new ClusterWatcher(cluster, scope, auditor, settings, listener);
        w.startInformers();
        try {
            w.thread.submit(w::audit).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            w.close();
            throw new ClusterAccessException("interrupted while starting to watch " + cluster.name(), e);
        } catch (ExecutionException e) {
            w.close();
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
        long resync = settings.resync().toMillis();
        w.thread.scheduleWithFixedDelay(w::resync, resync, resync, TimeUnit.MILLISECONDS);
        return w;
    }

    /** The latest audit (never null once {@link #start} returned). */
    public AuditResult current() {
        return current;
    }

    /** True until {@link #close()}. */
    public boolean isRunning() {
        return !closed.get();
    }

    /** Stops the informers and the watcher's thread; waits up to 10 s for an audit in progress. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        thread.shutdown();
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("an audit of {} was still running 10 s after the watcher was closed; interrupting it", cluster.name());
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void startInformers() {
        Map<ResourceKind, CompletableFuture<Void>> started = new EnumMap<>(ResourceKind.class);
        for (ResourceKind kind : ResourceKind.values()) {
            started.put(kind, startInformer(kind));
        }
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        for (Map.Entry<ResourceKind, CompletableFuture<Void>> e : started.entrySet()) {
            ResourceKind kind = e.getKey();
            try {
                e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException t) {
                fault(kind, new AuditFault(Reason.TIMEOUT, kind, 0, "the first list of " + kind.display() + " did not finish within "
                        + settings.startTimeout().toSeconds() + " s; the watcher keeps trying"));
            } catch (ExecutionException x) {
                // the exception handler recorded the fault; keep one if it did not
                faults.computeIfAbsent(kind, k -> classifier.classify(x.getCause(), k, "list", FaultClassifier.where(k, scope)));
                stopInformer(kind);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                close();
                throw new ClusterAccessException("interrupted while starting to watch " + cluster.name(), x);
            }
        }
    }

    private CompletableFuture<Void> startInformer(ResourceKind kind) {
        SharedIndexInformer<? extends HasMetadata> informer = kind.operation(cluster.client(), scope)
                .withLimit((long) scope.pageSize())
                .runnableInformer(0);
        informer.exceptionHandler(exceptionHandler(kind));
        informer.addEventHandler(eventHandler(kind));
        informers.put(kind, informer);
        return informer.start().toCompletableFuture();
    }

    private void stopInformer(ResourceKind kind) {
        SharedIndexInformer<? extends HasMetadata> informer = informers.remove(kind);
        if (informer != null) {
            informer.close();
        }
    }

    /**
     * An expired watch is always listed again. Otherwise, before the first list nothing is retried
     * (start reports the fault at once); afterwards refused access stops the kind until the next
     * resync, and anything else is retried with back-off.
     */
    private ExceptionHandler exceptionHandler(ResourceKind kind) {
        return (isStarted, error) -> {
            if (closed.get()) {
                return false;
            }
            AuditFault f = classifier.classify(error, kind, isStarted ? "watch" : "list", FaultClassifier.where(kind, scope));
            if (f.reason() == Reason.EXPIRED) {
                // the informer lists again from scratch; the snapshot stays complete
                failedSinceList.put(kind, true);
                notice(expired(kind));
                return true;
            }
            boolean retry = isStarted && switch (f.reason()) {
                case UNAUTHORIZED, FORBIDDEN, NOT_SERVED -> false;
                default -> true;
            };
            if (retry) {
                f = new AuditFault(f.reason(), kind, f.httpCode(), "lost the watch of " + kind.display() + ": " + f.message()
                        + "; retrying, the audit is partial until it is listed again");
                failedSinceList.put(kind, true);
            }
            fault(kind, f);
            requestAudit();
            return retry;
        };
    }

    private ResourceEventHandler<HasMetadata> eventHandler(ResourceKind kind) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata obj) {
                requestAudit();
            }

            @Override
            public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
                requestAudit();
            }

            @Override
            public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
                requestAudit();
            }

            @Override
            public void onBeforeList(String lastSyncResourceVersion) {
                // a re-list after the first: the watch expired (410 Gone) unless it failed before
                if (lastSyncResourceVersion != null && failedSinceList.remove(kind) == null && !closed.get()) {
                    notice(expired(kind));
                }
            }

            @Override
            public void onList(String resourceVersion, boolean remainedEmpty) {
                failedSinceList.remove(kind);
                if (faults.remove(kind) != null) {
                    requestAudit();
                }
            }
        };
    }

    private static AuditFault expired(ResourceKind kind) {
        return new AuditFault(Reason.EXPIRED, kind, 410, "the watch of " + kind.display()
                + " expired (410 Gone: the API server no longer keeps its resource version); listing " + kind.display() + " again");
    }

    private void fault(ResourceKind kind, AuditFault f) {
        faults.put(kind, f);
        notice(f);
    }

    private void notice(AuditFault f) {
        try {
            listener.onNotice(f);
        } catch (RuntimeException e) {
            LOG.warn("the watch listener failed on a notice: {}", e.toString());
        }
    }

    /**
     * Audits the cached objects again once changes settle, without reading the cluster anew: for a
     * change that is not the cluster's (the auditor's rules were reloaded, say). The result reaches
     * the listener as any other.
     */
    public void auditAgain() {
        requestAudit();
    }

    /** Audits once changes settle; a burst of changes gives one audit. */
    private void requestAudit() {
        if (closed.get() || !auditPending.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.schedule(this::audit, settings.settle().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            auditPending.set(false); // closing
        }
    }

    private void audit() {
        auditPending.set(false);
        if (closed.get() && current != null) {
            return;
        }
        List<HasMetadata> objects = new ArrayList<>();
        Map<ResourceKind, Integer> counts = new EnumMap<>(ResourceKind.class);
        Map<ResourceKind, AuditFault> now = new EnumMap<>(ResourceKind.class);
        now.putAll(faults);
        for (Map.Entry<ResourceKind, SharedIndexInformer<? extends HasMetadata>> e : informers.entrySet()) {
            List<? extends HasMetadata> items = e.getValue().getStore().list();
            objects.addAll(items);
            if (!now.containsKey(e.getKey())) {
                counts.put(e.getKey(), items.size());
            }
        }
        ClusterSnapshot snapshot = new ClusterSnapshot(cluster.name(), scope, Instant.now(), objects, counts,
                FaultClassifier.condense(new ArrayList<>(now.values())));
        AuditResult result = auditor.evaluate(snapshot);
        current = result;
        try {
            listener.onAudit(result);
        } catch (RuntimeException e) {
            LOG.warn("the watch listener failed on an audit of {}: {}", cluster.name(), e.toString());
        }
    }

    /** Audits again, and gives kinds whose informer stopped another start. */
    private void resync() {
        if (closed.get()) {
            return;
        }
        for (ResourceKind kind : ResourceKind.values()) {
            SharedIndexInformer<? extends HasMetadata> informer = informers.get(kind);
            if (informer == null || !informer.isRunning()) {
                stopInformer(kind);
                startInformer(kind);
            }
        }
        audit();
    }
}
