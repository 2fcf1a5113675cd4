package io.kubeward.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link RulePackThroughput} for every pack (a quick run: two) and {@link PlainJavaThroughput} through JMH, one
 * forked JVM ({@code -Xmx1g}) each, one thread, and turns the results into figures: pods per
 * second of CPU time (from {@link CpuRate}), with JMH's wall-clock score as the note.
 */
final class RuleThroughputRun {

    private RuleThroughputRun() {
    }

    static List<Figure> run(SuiteContext ctx) throws IOException, RunnerException {
        Path figures = ctx.work().resolve("rule-throughput.figures");
        Files.deleteIfExists(figures);
        boolean quick = ctx.quick();
        // a quick run tries the plumbing: the yardstick, one pack and all of them are enough
        List<String> packs = quick ? List.of("pod-security", RulePacks.ALL) : RulePacks.PACKS;
        Options options = new OptionsBuilder()
                .include(Pattern.quote(PlainJavaThroughput.class.getName()) + "\\.")
                .include(Pattern.quote(RulePackThroughput.class.getName()) + "\\.")
                .param("pods", quick ? "1000" : "10000")
                .param("pack", packs.toArray(String[]::new))
                .forks(1).threads(1)
                .warmupIterations(quick ? 2 : 5).warmupTime(TimeValue.seconds(quick ? 1 : 3))
                .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
                .jvmArgsAppend("-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                        "-D" + CpuRate.FIGURES_PROPERTY + "=" + figures)
                .verbosity(VerboseMode.NORMAL).output(ctx.log("rule-throughput").toString())
                .build();
        Collection<RunResult> results = new Runner(options).run();
        List<Figure> measured = Figure.read(figures);
        List<Figure> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> order = new ArrayList<>(List.of(RulePacks.PLAIN_JAVA));
        packs.forEach(p -> order.add(RulePacks.measure(p)));
        for (String measure : order) {
            RunResult jmh = results.stream().filter(r -> measure.equals(measureOf(r))).findFirst().orElse(null);
            Figure cpu = measured.stream().filter(f -> f.measure().equals(measure)).findFirst().orElse(null);
            if (jmh == null || cpu == null) {
                missing.add(measure);
                continue;
            }
            double error = jmh.getPrimaryResult().getScoreError();
            out.add(cpu.withNote(String.format(Locale.ROOT, "per second of CPU time; JMH wall-clock score %s%s pods/s",
                    FiguresTable.number(jmh.getPrimaryResult().getScore()), Double.isNaN(error) ? "" : " +/- " + FiguresTable.number(error))));
        }
        if (!missing.isEmpty()) {
            throw new PartialResult(out, "no result for " + missing + SuiteContext.tail(ctx.log("rule-throughput")));
        }
        return out;
    }

    private static String measureOf(RunResult r) {
        String benchmark = r.getParams().getBenchmark();
        if (benchmark.startsWith(PlainJavaThroughput.class.getName())) {
            return RulePacks.PLAIN_JAVA;
        }
        return RulePacks.measure(r.getParams().getParam("pack"));
    }

    /** Some figures, and why the others are missing. */
    static final class PartialResult extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final transient List<Figure> figures;

        PartialResult(List<Figure> figures, String message) {
            super(message);
            this.figures = List.copyOf(figures);
        }

        List<Figure> figures() {
            return figures;
        }
    }
}
