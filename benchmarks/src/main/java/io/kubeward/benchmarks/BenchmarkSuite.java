package io.kubeward.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every benchmark, one after the other, each heavy one in a JVM of its own with its own heap,
 * then one table of the figures against the project's {@link Target targets}; with
 * {@code --update-readme FILE}, the table also replaces the generated part of the README's
 * performance section. A step that fails is reported and the others still run.
 *
 * <pre>
 * java -jar benchmarks/target/kubeward-benchmarks-*-all.jar suite [--quick] [--update-readme README.md] [--root DIR] [--only TEXT]
 * </pre>
 * {@code --quick} runs small sizes in a few minutes, to try the plumbing: its figures are
 * not the targets' sizes. {@code --only} keeps the steps whose name contains the text.
 */
final class BenchmarkSuite {

    static final String COMMAND = "bin/benchmarks --update-readme README.md";

    /** One benchmark of the suite. */
    record Step(String name, String what, StepRun run) {
    }

    @FunctionalInterface
    interface StepRun {
        List<Figure> run(SuiteContext ctx) throws Exception;
    }

    private BenchmarkSuite() {
    }

    static List<Step> steps(boolean quick) {
        return List.of(
                new Step("rule-throughput", "rule evaluation throughput per pack (JMH)", RuleThroughputRun::run),
                new Step("snapshot", "engine heap evaluating a cluster snapshot", ctx -> ctx.fork("snapshot", List.of("-Xmx1g"),
                        SnapshotHeapBenchmark.class, List.of(quick ? "1000" : "10000"))),
                new Step("scan", "scan of a folder of manifests by the command line", ctx -> EndToEnd.scan(ctx, quick ? 500 : 10_000, quick ? 1 : 3)),
                new Step("cold-start", "cold start of bin/kubeward scan", ctx -> EndToEnd.coldStart(ctx, quick ? 2 : 7)),
                new Step("admission", "admission webhook in process and over HTTPS", ctx -> EndToEnd.admission(ctx, quick ? 4 : 20,
                        quick ? 2 : 10, quick ? 3 : 10, 16)),
                new Step("network", "network reachability analysis", ctx -> ctx.fork("network", List.of("-Xmx2g"), NetworkBenchmark.class,
                        quick ? List.of("--runs", "1", "1000") : List.of("--runs", "3", "1000", "5000", "10000"))),
                new Step("cluster-audit", "audit of the mock cluster", ctx -> ctx.fork("cluster-audit", List.of("-Xmx1g"),
                        ClusterAuditBenchmark.class, quick ? List.of("--runs", "1", "1000") : List.of("--runs", "3", "10000"))));
    }

    static void main(String[] arguments) throws Exception {
        List<String> args = new ArrayList<>(List.of(arguments));
        boolean quick = CommandArgs.flag(args, "--quick");
        Path readme = CommandArgs.take(args, "--update-readme").map(Path::of).orElse(null);
        Path root = CommandArgs.take(args, "--root").map(Path::of).orElse(Path.of("")).toAbsolutePath().normalize();
        String only = CommandArgs.take(args, "--only").orElse("");
        CommandArgs.noneLeft(args, "suite [--quick] [--update-readme README.md] [--root DIR] [--only TEXT]");
        if (readme != null && !only.isEmpty()) {
            throw new IllegalArgumentException("--update-readme writes the whole table: run every step (no --only)");
        }
        if (readme != null && !readme.isAbsolute()) {
            readme = root.resolve(readme);
        }
        if (readme != null) {
            ReadmeSection.replace(Files.readString(readme), "", readme.toString()); // fail now, not after the run, when a marker is missing
        }
        Path benchJar = Path.of(BenchmarkSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(benchJar)) {
            throw new IllegalArgumentException("run the suite from the shaded jar (benchmarks/target/kubeward-benchmarks-*-all.jar): "
                    + "its forked JVMs need it as their class path");
        }
        SuiteContext ctx = new SuiteContext(root, SuiteContext.findCliJar(root), benchJar,
                Files.createTempDirectory("kubeward-benchmarks-"), quick);
        List<Step> steps = steps(quick).stream().filter(s -> s.name().contains(only)).toList();
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("no step's name contains '" + only + "'; the steps: "
                    + steps(quick).stream().map(Step::name).toList());
        }
        List<Figure> figures = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT));
        MachineInfo machine = new MachineInfo();
        System.out.printf(Locale.ROOT, "kubeward benchmark suite (%s run), %d steps; logs in %s%n", quick ? "quick" : "full", steps.size(),
                ctx.work());
        for (Step step : steps) {
            System.out.printf(Locale.ROOT, "- %s: %s ... ", step.name(), step.what());
            System.out.flush();
            long t = System.nanoTime();
            try {
                List<Figure> got = step.run().run(ctx);
                figures.addAll(got);
                System.out.printf(Locale.ROOT, "%d figures in %.0f s (load average %.1f)%n", got.size(), (System.nanoTime() - t) / 1e9,
                        MachineInfo.load());
            } catch (RuleThroughputRun.PartialResult e) {
                figures.addAll(e.figures());
                failures.add(step.name() + ": " + e.getMessage());
                System.out.println("FAILED in part: " + e.getMessage());
            } catch (Exception e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                failures.add(step.name() + ": " + why);
                System.out.println("FAILED: " + why);
                try (java.io.PrintWriter trace = new java.io.PrintWriter(Files.newBufferedWriter(ctx.log(step.name() + "-failure")))) {
                    e.printStackTrace(trace);
                }
            }
        }
        machine.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        FiguresTable table = FiguresTable.of(figures, Target.ALL, !quick && only.isEmpty());
        System.out.println();
        System.out.print(table.text());
        System.out.println();
        String commit = gitDescription(root);
        String run = String.format(Locale.ROOT, "%s%s, %s run in %d min %02d s", date, commit.isEmpty() ? "" : ", commit " + commit,
                quick ? "quick" : "full", took.toMinutes(), took.toSecondsPart());
        System.out.println(table.summary() + ". " + run + " on " + machine.describe() + ".");
        failures.forEach(f -> System.out.println("failed: " + f));
        if (readme != null) {
            String section = PerformanceSection.markdown(table, run, machine.describe(), failures, quick);
            System.out.println(ReadmeSection.update(readme, section) ? "updated " + readme : readme + " already held these figures");
        }
        EndToEnd.deleteTree(ctx.work().resolve("manifests"));
        if (!failures.isEmpty()) {
            System.exit(1);
        }
    }

    static String gitDescription(Path root) {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty").directory(root.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
