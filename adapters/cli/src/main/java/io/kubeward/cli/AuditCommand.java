package io.kubeward.cli;

import io.kubeward.cluster.AuditFault;
import io.kubeward.cluster.AuditResult;
import io.kubeward.cluster.AuditScope;
import io.kubeward.cluster.ClusterAccessException;
import io.kubeward.cluster.ClusterAuditor;
import io.kubeward.cluster.ClusterConnection;
import io.kubeward.cluster.ClusterWatcher;
import io.kubeward.cluster.ConnectionSettings;
import io.kubeward.cluster.PolicyReportWriter;
import io.kubeward.cluster.WatchSettings;
import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.ReloadingPolicyEngine;
import io.kubeward.engine.RuleCatalog;
import io.kubeward.engine.Severity;
import io.kubeward.manifest.ConfigurationReader;
import io.kubeward.manifest.InputError;
import io.kubeward.manifest.ReadResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kubeward audit}: the same rules over what runs in a cluster now. */
@Command(name = "audit",
        description = {
            "Audits a live cluster: reads Pods, workloads, Namespaces, Nodes, Services, NetworkPolicies and RBAC",
            "(paged) and evaluates them as one snapshot. A pod owned by a workload is reported at its owner.",
            "Exit codes: 0 no finding at or above --min-severity, 1 findings, 2 usage error or a partial audit",
            "(a kind could not be read: the findings may be incomplete)."},
        mixinStandardHelpOptions = true)
final class AuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "The kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "The kubeconfig context (default: its current context).")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Audit one namespace (cluster-scoped objects are still read).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Audit every namespace (the default).")
    boolean allNamespaces;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "A label selector for the namespaced objects read.")
    String selector;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT[=FILE]",
            description = "text, json, yaml, sarif, junit or policyreport, to standard output or to a file (repeatable). Default: text.")
    List<String> outputs = new ArrayList<>();

    @Option(names = "--apply", description = "Create or update the PolicyReports in the cluster (needs the writer role of deploy/auditor).")
    boolean apply;

    @Option(names = "--watch", description = "Keep watching: audit again as objects change and at each resync, until stopped (SIGTERM, Ctrl-C).")
    boolean watch;

    @Option(names = "--resync", defaultValue = "5m", paramLabel = "DURATION", description = "With --watch: full re-audit interval, e.g. 30s, 5m (default: ${DEFAULT-VALUE}).")
    String resync;

    @Option(names = "--min-severity", defaultValue = "info", paramLabel = "SEVERITY", description = "Report only findings at or above (default: ${DEFAULT-VALUE}).")
    String minSeverity;

    @Option(names = "--rules-check-interval", defaultValue = "5", paramLabel = "SECONDS",
            description = {"With --watch: how often the --rules folders are checked for changes (default: ${DEFAULT-VALUE}).",
                "Changed rules are compiled in the background, swapped in and the cluster audited again; rules that",
                "do not compile are reported and the running ones stay."})
    int rulesCheckInterval;

    @Option(names = "--profile", paramLabel = "LEVEL", description = "Also evaluate a Pod Security Standards level.")
    String profile;

    @Option(names = "--profile-version", defaultValue = "latest", paramLabel = "VERSION", description = "The policy version of --profile.")
    String profileVersion;

    @Option(names = "--enable", paramLabel = "RULE", description = "Run an opt-in rule (repeatable).")
    List<String> enable = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "A kubeward configuration.")
    Path config;

    @Mixin
    EngineOptions engineOptions;

    /** The watching audit in progress, for tests that stop it. */
    static volatile AuditCommand running;

    private final CountDownLatch stopped = new CountDownLatch(1);

    private EvaluationOptions evaluationOptions = EvaluationOptions.DEFAULT;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Severity threshold;
        List<String> specs = new ArrayList<>();
        EvaluationOptions options = EvaluationOptions.DEFAULT;
        Duration resyncEvery;
        try {
            threshold = Severity.parse(minSeverity);
            specs.addAll(outputs.isEmpty() ? List.of("text") : outputs);
            OutputTarget.parseAll(specs);
            if (profile != null) {
                options = options.withProfile(PodSecurityProfile.of(profile, profileVersion));
            }
            if (namespace != null && allNamespaces) {
                throw new IllegalArgumentException("--namespace and --all-namespaces exclude each other");
            }
            resyncEvery = parseDuration(resync);
        } catch (IllegalArgumentException e) {
            err.println("kubeward audit: " + e.getMessage());
            return KubewardCommand.INPUT_ERROR;
        }
        if (config != null) {
            ConfigurationReader.Result c = ConfigurationReader.read(config);
            if (!c.ok()) {
                err.println("kubeward audit: the configuration is not valid; nothing was audited:");
                c.errors().forEach(e -> err.println("  " + e.display()));
                return KubewardCommand.INPUT_ERROR;
            }
            options = options.withConfiguration(c.configuration());
        }
        options = options.withOptInRules(enable);
        PolicyEngine engine = engineOptions.build(err);
        if (engine == null) {
            return KubewardCommand.INPUT_ERROR;
        }
        AuditScope scope = namespace == null ? AuditScope.allNamespaces() : AuditScope.namespace(namespace);
        if (selector != null) {
            scope = scope.withLabelSelector(selector);
        }
        ConnectionSettings settings = ConnectionSettings.defaults();
        if (kubeconfig != null) {
            settings = settings.withKubeconfig(kubeconfig);
        }
        if (context != null) {
            settings = settings.withContext(context);
        }
        evaluationOptions = options;
        List<OutputTarget> targets = OutputTarget.parseAll(specs);
        final Severity min = threshold;
        try (ClusterConnection cluster = ClusterConnection.open(settings)) {
            if (!watch) {
                AuditResult result = new ClusterAuditor(engine, options).audit(cluster, scope);
                return emit(result, engine.catalog(), targets, cluster, min, out, err);
            }
            ReloadingPolicyEngine engines = new ReloadingPolicyEngine(EngineOptions.firstThen(engine, engineOptions::compile));
            ClusterAuditor auditor = new ClusterAuditor(engines::current, options);
            ClusterWatcher watcher = ClusterWatcher.start(cluster, scope, auditor,
                    WatchSettings.defaults().withResync(resyncEvery), new ClusterWatcher.Listener() {
                        @Override
                        public void onAudit(AuditResult result) {
                            synchronized (AuditCommand.this) {
                                emit(result, engines.current().catalog(), targets, cluster, min, out, err);
                            }
                        }

                        @Override
                        public void onNotice(AuditFault notice) {
                            err.println("kubeward audit: " + notice.message());
                        }
                    });
            // a reload lands between an audit and its report at worst once: the audit it triggers follows
            RuleReloader reloader = engineOptions.ruleDirs.isEmpty() ? null
                    : RuleReloader.start(engines, engineOptions.ruleDirs, rulesCheckInterval, "audit", err, o -> {
                        if (o.swapped()) {
                            watcher.auditAgain();
                        }
                    });
            Thread hook = new Thread(this::stop, "kubeward-audit-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            running = this;
            try {
                stopped.await();
            } finally {
                if (reloader != null) {
                    reloader.close();
                }
                watcher.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down: the hook is what stopped us
                }
            }
            return KubewardCommand.OK;
        } catch (ClusterAccessException e) {
            err.println("kubeward audit: " + e.getMessage());
            return KubewardCommand.INPUT_ERROR;
        }
    }

    /** Ends a watching audit: stops the watch and returns from {@link #call()}. */
    void stop() {
        stopped.countDown();
    }

    private int emit(AuditResult result, RuleCatalog catalog, List<OutputTarget> targets, ClusterConnection cluster,
                     Severity min, PrintWriter out, PrintWriter err) {
        PolicyReportWriter reports = new PolicyReportWriter(catalog);
        List<InputError> faults = new ArrayList<>();
        for (AuditFault f : result.faults()) {
            faults.add(new InputError(result.sourceLabel(), 0, 0, f.resource() == null ? null : f.resource().display(), f.message()));
        }
        ReadResult read = new ReadResult(List.of(), faults, 0);
        ScanReport report = new ScanReport(read, result.evaluation(), min, evaluationOptions, catalog, result);
        try {
            for (OutputTarget t : targets) {
                if (t.file() == null) {
                    t.format().write(report, out);
                } else {
                    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(t.file(), StandardCharsets.UTF_8))) {
                        t.format().write(report, w);
                    }
                }
            }
        } catch (IOException e) {
            err.println("kubeward audit: cannot write the report: " + e.getMessage());
            return KubewardCommand.INPUT_ERROR;
        }
        out.flush();
        if (apply) {
            var applied = reports.apply(result, cluster.client());
            err.println("kubeward audit: PolicyReports created " + applied.created() + ", updated " + applied.updated()
                    + ", unchanged " + applied.unchanged() + ", deleted " + applied.deleted());
            applied.errors().forEach(e -> err.println("kubeward audit: " + e));
            if (!applied.errors().isEmpty()) {
                return KubewardCommand.INPUT_ERROR;
            }
        }
        if (result.partial()) {
            err.println("kubeward audit: PARTIAL audit of " + result.cluster() + ": not everything could be read;"
                    + " the findings may be incomplete");
            result.faults().forEach(f -> err.println("  " + f.message()));
            return KubewardCommand.INPUT_ERROR;
        }
        return report.failing().isEmpty() ? KubewardCommand.OK : KubewardCommand.FINDINGS;
    }

    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid duration '" + text + "'; expected e.g. 30s, 5m or 1h");
        }
    }
}
