package io.kubeward.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the suite's steps share: the repository, the jars, a work folder for logs and generated
 * input, and how to run a benchmark in a JVM of its own.
 *
 * @param root     the repository (bin/kubeward, the README)
 * @param cliJar   the command line's shaded jar
 * @param benchJar this module's shaded jar (the class path of the benchmark JVMs)
 * @param work     logs and generated input
 * @param quick    small sizes and short runs, to try the plumbing
 */
record SuiteContext(Path root, Path cliJar, Path benchJar, Path work, boolean quick) {

    static final Duration STEP_TIMEOUT = Duration.ofMinutes(30);

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The command line's shaded jar under the repository, or an error saying how to build it. */
    static Path findCliJar(Path root) throws IOException {
        Path target = root.resolve("adapters/cli/target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                List<Path> jars = files.filter(p -> p.getFileName().toString().matches("kubeward-cli-.*-all\\.jar")).toList();
                if (jars.size() == 1) {
                    return jars.get(0);
                }
            }
        }
        throw new IllegalArgumentException("no single adapters/cli/target/kubeward-cli-*-all.jar under " + root
                + ": build it first (mvn -B -DskipTests -pl adapters/cli,benchmarks -am package, as bin/benchmarks does)");
    }

    /** A process's outcome: exit code and wall time. */
    record Run(int exit, double seconds) {
    }

    /**
     * Runs a command with its output (and errors) appended to {@code log}, in the repository, with
     * the environment changed by {@code env} (a null value removes a variable).
     */
    Run run(List<String> command, Path log, Map<String, String> env) throws IOException, InterruptedException {
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            if (!p.waitFor(STEP_TIMEOUT.toMinutes(), java.util.concurrent.TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " ran longer than " + STEP_TIMEOUT.toMinutes() + " minutes; log: " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        return new Run(p.exitValue(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Runs a benchmark main of this module in a JVM of its own with the given JVM options, passing
     * {@code --figures FILE}, and returns the figures it wrote.
     */
    List<Figure> fork(String name, List<String> jvmOptions, Class<?> main, List<String> args) throws IOException, InterruptedException {
        Path figures = work.resolve(name + ".figures");
        Files.deleteIfExists(figures);
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", benchJar.toString(), main.getName()));
        command.addAll(args);
        command.addAll(List.of("--figures", figures.toString()));
        Path log = log(name);
        Run run = run(command, log, Map.of());
        if (run.exit() != 0) {
            throw new IllegalStateException(name + " failed (exit " + run.exit() + ")" + tail(log));
        }
        return Figure.read(figures);
    }

    Path log(String name) {
        return work.resolve(name + ".log");
    }

    /** The last lines of a log, to show why a step failed. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "; the end of " + log + ":\n    " + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "; see " + log;
        }
    }
}
