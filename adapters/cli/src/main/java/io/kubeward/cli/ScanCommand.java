package io.kubeward.cli;

import io.kubeward.engine.EvaluationOptions;
import io.kubeward.engine.EvaluationResult;
import io.kubeward.engine.PodSecurityProfile;
import io.kubeward.engine.PolicyEngine;
import io.kubeward.engine.Severity;
import io.kubeward.manifest.ConfigurationReader;
import io.kubeward.manifest.ManifestReader;
import io.kubeward.manifest.ReadResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kubeward scan PATH...}: evaluates manifests as one snapshot. */
@Command(name = "scan",
        description = {
            "Scans manifests (files, folders, or - for stdin) and reports findings.",
            "All objects are evaluated together, so rules see Nodes, Services and workloads at once.",
            "Exit codes: 0 no finding at or above --min-severity, 1 findings, 2 usage or input error."},
        mixinStandardHelpOptions = true)
final class ScanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or folders; - reads standard input.")
    List<Path> paths;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT[=FILE]",
            description = {"text, json, yaml, sarif, junit or policyreport, to standard output or, with =FILE, to a file (repeatable:",
                "--output sarif=kubeward.sarif --output text). Default: text."})
    List<String> outputs = new java.util.ArrayList<>();

    @Option(names = "--min-severity", defaultValue = "info", paramLabel = "SEVERITY",
            description = "Report only findings at or above: info, low, medium, high, critical (default: ${DEFAULT-VALUE}).")
    String minSeverity;

    @Option(names = "--profile", paramLabel = "LEVEL",
            description = "Also evaluate a Pod Security Standards level: privileged, baseline or restricted.")
    String profile;

    @Option(names = "--profile-version", defaultValue = "latest", paramLabel = "VERSION",
            description = "The policy version of --profile: latest or v1.<minor> (default: ${DEFAULT-VALUE}).")
    String profileVersion;

    @Option(names = "--enable", paramLabel = "RULE",
            description = "Run an opt-in rule (repeatable); 'kubeward rules' lists them.")
    List<String> enable = new java.util.ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "A kubeward configuration: rules on or off, severities, profile, exceptions.")
    Path config;

    @Mixin
    EngineOptions engineOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Severity threshold;
        EvaluationOptions options = EvaluationOptions.DEFAULT;
        List<OutputTarget> targets;
        try {
            threshold = Severity.parse(minSeverity);
            targets = OutputTarget.parseAll(outputs.isEmpty() ? List.of("text") : outputs);
            if (profile != null) {
                options = options.withProfile(PodSecurityProfile.of(profile, profileVersion));
            }
        } catch (IllegalArgumentException e) {
            err.println("kubeward scan: " + e.getMessage());
            return KubewardCommand.INPUT_ERROR;
        }
        if (config != null) {
            ConfigurationReader.Result c = ConfigurationReader.read(config);
            if (!c.ok()) {
                err.println("kubeward scan: the configuration is not valid; nothing was evaluated:");
                c.errors().forEach(e -> err.println("  " + e.display()));
                return KubewardCommand.INPUT_ERROR;
            }
            options = options.withConfiguration(c.configuration());
        }
        // the engine compiles while the manifests are read; a compile error still ends the scan before anything is reported
        EngineOptions.PendingEngine pending = engineOptions.buildInBackground();
        ReadResult read;
        try {
            read = new ManifestReader().read(paths, System.in);
        } catch (RuntimeException | Error e) {
            if (pending.await(err) == null) {
                return KubewardCommand.INPUT_ERROR;
            }
            throw e;
        }
        PolicyEngine engine = pending.await(err);
        if (engine == null) {
            return KubewardCommand.INPUT_ERROR;
        }
        options = options.withOptInRules(enable);
        EvaluationResult result;
        try {
            result = engine.evaluateSnapshot(read.objects(), options);
        } catch (IllegalArgumentException e) {
            err.println("kubeward scan: " + e.getMessage());
            return KubewardCommand.INPUT_ERROR;
        }
        ScanReport report = new ScanReport(read, result, threshold, options, engine.catalog());
        boolean textOnStdout = false;
        for (OutputTarget t : targets) {
            if (t.file() == null) {
                t.format().write(report, out);
                textOnStdout = t.format() == ReportFormat.TEXT;
                continue;
            }
            try (java.io.OutputStream os = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(t.file()), 1 << 16)) {
                t.format().write(report, os);
            } catch (java.io.IOException | java.io.UncheckedIOException | tools.jackson.core.exc.JacksonIOException e) {
                err.println("kubeward scan: cannot write " + t.file() + ": " + e.getMessage());
                return KubewardCommand.INPUT_ERROR;
            }
        }
        if (!textOnStdout) {
            // errors go to stderr too, so a pipeline that keeps only stdout still sees them
            read.errors().forEach(e -> err.println("kubeward: " + e.display()));
        }
        out.flush();
        if (read.hasErrors()) {
            return KubewardCommand.INPUT_ERROR;
        }
        return report.failing().isEmpty() ? KubewardCommand.OK : KubewardCommand.FINDINGS;
    }
}
