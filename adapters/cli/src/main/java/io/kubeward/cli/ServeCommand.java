package io.kubeward.cli;

import io.kubeward.admission.AdmissionConfig;
import io.kubeward.admission.AdmissionController;
import io.kubeward.admission.AdmissionServer;
import io.kubeward.admission.AuditLog;
import io.kubeward.admission.ClusterNamespaceLabels;
import io.kubeward.admission.NamespaceLabels;
import io.kubeward.admission.PemCredentials;
import io.kubeward.admission.PodDefaulter;
import io.kubeward.admission.PodSecurityPolicyDefaulter;
import io.kubeward.admission.PodSecurityPolicySource;
import io.kubeward.admission.ClusterRbacPodSecurityPolicies;
import io.kubeward.engine.psp.PodSecurityPolicyAdmission;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.ReloadingPolicyEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeward serve}: the validating and mutating admission webhook over HTTPS. */
@Command(name = "serve",
        description = {
            "Serves the admission webhook over HTTPS: POST /validate and /mutate take AdmissionReviews;",
            "GET /healthz, /readyz and /metrics (Prometheus). Stops gracefully on SIGTERM or SIGINT,",
            "finishing the requests in flight. The certificate files are reloaded when they change."},
        mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {

    /** The server started last in this JVM, for tests that need to stop it. */
    static volatile ServeCommand running;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "8443", paramLabel = "PORT", description = "The HTTPS port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDRESS", description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--tls-cert", required = true, paramLabel = "FILE", description = "The PEM serving certificate (chain).")
    Path certFile;

    @Option(names = "--tls-key", required = true, paramLabel = "FILE", description = "The PEM private key: PKCS#8 or PKCS#1, unencrypted.")
    Path keyFile;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The admission configuration (YAML): defaults, exemptions, generalRules, onError, maxRequestBytes.")
    Path configFile;

    @Option(names = "--namespace-labels", defaultValue = "cluster", paramLabel = "SOURCE",
            description = "Where namespace labels come from: cluster (watch Namespaces through the in-cluster or kubeconfig"
                    + " credentials), none, or a YAML file mapping namespace to labels (default: ${DEFAULT-VALUE}).")
    String namespaceLabels;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "The kubeconfig for the cluster sources (default: $KUBECONFIG, ~/.kube/config, or in-cluster).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context (default: its current context).")
    String context;

    @Option(names = "--threads", paramLabel = "N", description = "Event loops serving the connections, each answering the reviews of its own (default: twice the processors, at least 4).")
    Integer threads;

    @Option(names = "--shutdown-grace", defaultValue = "10", paramLabel = "SECONDS",
            description = "How long a shutdown waits for requests in flight (default: ${DEFAULT-VALUE}).")
    int shutdownGrace;

    @Option(names = "--request-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long a request may take to arrive in full; later, 408 and the connection closes (default: ${DEFAULT-VALUE}).")
    int requestTimeout;

    @Option(names = "--idle-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = {"How long a keep-alive connection may stay without a request before it is closed (default:",
                "${DEFAULT-VALUE}; keep it above the API server's own 90 s, so that no request races the close)."})
    int idleTimeout;

    @Option(names = "--cert-check-interval", defaultValue = "10", paramLabel = "SECONDS",
            description = "How often the certificate files are checked for changes (default: ${DEFAULT-VALUE}).")
    int certCheckInterval;

    @Option(names = "--rules-check-interval", defaultValue = "5", paramLabel = "SECONDS",
            description = {"How often the --rules folders are checked for changes (default: ${DEFAULT-VALUE}). Changed rules are",
                "compiled in the background and swapped in atomically; rules that do not compile are reported and the",
                "running ones stay."})
    int rulesCheckInterval;

    @Option(names = "--psp", paramLabel = "PATH",
            description = {"PodSecurityPolicies (policy/v1beta1) and the RBAC objects granting their use: a file or folder",
                "(repeatable). /mutate then does the PodSecurityPolicy admission: the policies the requesting user or the",
                "pod's service account may use are tried in name order; one that admits the pod unchanged wins, else the",
                "first that admits it after defaulting (its JSON patch is answered); when none admits it the request is",
                "denied (403) with each policy's reasons. The files are read again when they change."})
    List<Path> pspPaths = new ArrayList<>();

    @Option(names = "--psp-rbac", defaultValue = "files", paramLabel = "SOURCE",
            description = {"Where the RBAC granting use of the --psp policies comes from: files (the Roles, ClusterRoles and",
                "bindings in the --psp files) or cluster (also the cluster's, watched; needs list and watch on them)",
                "(default: ${DEFAULT-VALUE})."})
    String pspRbac;

    @Option(names = "--psp-check-interval", defaultValue = "5", paramLabel = "SECONDS",
            description = "How often the --psp files are checked for changes (default: ${DEFAULT-VALUE}).")
    int pspCheckInterval;

    @Mixin
    EngineOptions engineOptions;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile RuleReloader ruleReloads;
    private volatile java.util.concurrent.ScheduledExecutorService pspReloads;
    private volatile AdmissionServer server;
    private volatile AutoCloseable labelSource;
    private volatile AutoCloseable rbacSource;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AdmissionConfig config = AdmissionConfig.DEFAULT;
        PodSecurityPolicyFiles pspFiles = null;
        try {
            if (requestTimeout <= 0 || idleTimeout <= 0) {
                throw new IllegalArgumentException((requestTimeout <= 0 ? "--request-timeout" : "--idle-timeout")
                        + " must be a positive number of seconds");
            }
            for (Path f : new Path[] {certFile, keyFile}) {
                if (!Files.isRegularFile(f)) {
                    throw new IllegalArgumentException(f + ": no such file");
                }
            }
            PemCredentials.load(certFile, keyFile); // fail fast, before the rules compile
            if (configFile != null) {
                config = AdmissionConfig.load(configFile);
            }
        } catch (IllegalArgumentException e) {
            err.println("kubeward serve: " + e.getMessage());
            return KubewardCommand.INPUT_ERROR;
        }
        if (!pspRbac.equals("files") && !pspRbac.equals("cluster")) {
            err.println("kubeward serve: --psp-rbac: '" + pspRbac + "' is not files or cluster");
            return KubewardCommand.INPUT_ERROR;
        }
        if (!pspPaths.isEmpty()) {
            try {
                pspFiles = PodSecurityPolicyFiles.load(pspPaths, pspRbac.equals("cluster"));
            } catch (IllegalArgumentException e) {
                err.println("kubeward serve: --psp: " + e.getMessage());
                return KubewardCommand.INPUT_ERROR;
            }
            pspFiles.loaded().warnings().forEach(w -> err.println("kubeward serve: --psp: warning: " + w));
            err.flush();
        }
        PolicyEngine engine = engineOptions.build(err);
        if (engine == null) {
            return KubewardCommand.INPUT_ERROR;
        }
        ReloadingPolicyEngine engines = new ReloadingPolicyEngine(EngineOptions.firstThen(engine, engineOptions::compile));
        NamespaceLabels labels;
        try {
            labels = namespaceLabels();
        } catch (IllegalArgumentException e) {
            err.println("kubeward serve: --namespace-labels: " + e.getMessage());
            return KubewardCommand.INPUT_ERROR;
        } catch (io.kubeward.cluster.ClusterAccessException e) {
            err.println("kubeward serve: cannot reach the cluster for namespace labels: " + e.getMessage());
            return KubewardCommand.INPUT_ERROR;
        }
        PodDefaulter defaulter;
        String defaulterName;
        if (pspFiles != null) {
            PodSecurityPolicySource source = pspFiles;
            if (pspRbac.equals("cluster")) {
                io.fabric8.kubernetes.client.KubernetesClient client;
                try {
                    client = clusterClient();
                } catch (io.kubeward.cluster.ClusterAccessException e) {
                    err.println("kubeward serve: cannot reach the cluster for --psp-rbac cluster: " + e.getMessage());
                    return KubewardCommand.INPUT_ERROR;
                }
                ClusterRbacPodSecurityPolicies cluster = ClusterRbacPodSecurityPolicies.start(client, pspFiles::objects);
                rbacSource = cluster;
                source = cluster;
            }
            defaulter = new PodSecurityPolicyDefaulter(PodSecurityPolicyAdmission.withBuiltinRules(ServeCommand.class.getClassLoader()), source);
            defaulterName = "PodSecurityPolicy admission (" + pspFiles.current().policies().size() + " policies, RBAC from "
                    + (pspRbac.equals("cluster") ? "the cluster and the files" : "the files") + ")";
            watchPodSecurityPolicies(pspFiles, err);
        } else {
            defaulter = PodDefaulter.discover(ServeCommand.class.getClassLoader());
            defaulterName = defaulter == null ? null : defaulter.getClass().getName();
        }
        AdmissionController controller = AdmissionController.builder().engines(engines::current).config(config)
                .namespaceLabels(labels).auditLog(AuditLog.jsonLines(System.out)).defaulter(defaulter).build();
        AdmissionServer.Builder builder = AdmissionServer.builder(controller)
                .address(new InetSocketAddress(bind, port)).tls(certFile, keyFile)
                .shutdownGrace(Duration.ofSeconds(shutdownGrace))
                .requestTimeout(Duration.ofSeconds(requestTimeout)).idleTimeout(Duration.ofSeconds(idleTimeout))
                .certificateCheckInterval(Duration.ofSeconds(Math.max(1, certCheckInterval)));
        if (threads != null) {
            builder.threads(threads);
        }
        try {
            server = builder.start();
        } catch (IllegalArgumentException e) {
            err.println("kubeward serve: " + e.getMessage());
            closeLabels();
            stopReloads();
            return KubewardCommand.INPUT_ERROR;
        }
        if (!engineOptions.ruleDirs.isEmpty()) {
            ruleReloads = RuleReloader.start(engines, engineOptions.ruleDirs, rulesCheckInterval, "serve", err, o -> {
                if (o.swapped()) {
                    controller.metrics().rulesReloaded();
                } else {
                    controller.metrics().rulesReloadFailed();
                }
            });
        }
        out.println("kubeward: serving admission reviews on https://" + bind + ":" + server.port()
                + " (/validate, /mutate, /healthz, /readyz, /metrics); " + engine.catalog().size() + " rules"
                + (defaulter == null ? "; no defaulter: /mutate allows unchanged" : "; /mutate: " + defaulterName));
        out.flush();
        Thread hook = new Thread(this::shutdown, "kubeward-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        running = this;
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is what stopped us
        }
        return KubewardCommand.OK;
    }

    /** The port being served, once started. */
    int port() {
        return server == null ? -1 : server.port();
    }

    /** Polls the --psp files; a change is read and swapped in, or reported while the policies in force stay. */
    private void watchPodSecurityPolicies(PodSecurityPolicyFiles files, PrintWriter err) {
        pspReloads = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubeward-psp-reload");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, pspCheckInterval);
        pspReloads.scheduleWithFixedDelay(() -> {
            try {
                PodSecurityPolicyFiles.Reload r = files.reloadIfChanged();
                if (!r.changed()) {
                    return;
                }
                if (r.error() == null) {
                    err.println("kubeward serve: --psp: the policy files changed; now " + r.loaded().policies().policies().size()
                            + " PodSecurityPolicies");
                    r.loaded().warnings().forEach(w -> err.println("kubeward serve: --psp: warning: " + w));
                } else {
                    err.println("kubeward serve: --psp: the policy files changed but are not used; the previous "
                            + r.loaded().policies().policies().size() + " PodSecurityPolicies stay in force: " + r.error());
                }
                err.flush();
            } catch (RuntimeException e) {
                err.println("kubeward serve: --psp: cannot check the policy files: " + e.getMessage());
                err.flush();
            }
        }, every, every, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Stops gracefully: finishes the requests in flight, then returns from {@link #call()}. */
    void shutdown() {
        stopReloads();
        AdmissionServer s = server;
        if (s != null) {
            s.close();
        }
        closeLabels();
        stopped.countDown();
    }

    private void stopReloads() {
        RuleReloader rules = ruleReloads;
        if (rules != null) {
            rules.close();
        }
        java.util.concurrent.ScheduledExecutorService policies = pspReloads;
        if (policies != null) {
            policies.shutdownNow();
        }
    }

    private void closeLabels() {
        for (AutoCloseable c : new AutoCloseable[] {labelSource, rbacSource, cluster}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing a watch at shutdown: nothing to do about a failure
                }
            }
        }
    }

    /**
     * The client of the in-cluster service account (or the kubeconfig). A read in a review's path (a
     * namespace not yet in the cache) is not retried: the API server waits for the webhook only
     * timeoutSeconds, and a worker retrying for many seconds is a worker the next reviews lack.
     * Informers restart their own lists and watches.
     */
    private io.fabric8.kubernetes.client.KubernetesClient clusterClient() {
        if (cluster == null) {
            io.kubeward.cluster.ConnectionSettings settings = io.kubeward.cluster.ConnectionSettings.defaults()
                    .withRequestTimeout(Duration.ofSeconds(10)).withRetries(0);
            if (kubeconfig != null) {
                settings = settings.withKubeconfig(kubeconfig);
            }
            if (context != null) {
                settings = settings.withContext(context);
            }
            // one client for every cluster source (namespace labels, RBAC)
            cluster = io.kubeward.cluster.ClusterConnection.open(settings).client();
        }
        return cluster;
    }

    private io.fabric8.kubernetes.client.KubernetesClient cluster;

    private NamespaceLabels namespaceLabels() {
        switch (namespaceLabels) {
            case "none":
                return NamespaceLabels.none();
            case "cluster":
                ClusterNamespaceLabels cluster = ClusterNamespaceLabels.start(clusterClient());
                labelSource = cluster;
                return cluster;
            default:
                return NamespaceLabels.load(Path.of(namespaceLabels));
        }
    }
}
