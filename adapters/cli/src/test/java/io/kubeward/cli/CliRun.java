package io.kubeward.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the command in-process and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {

    static final Path ROOT = Path.of(System.getProperty("kubeward.root", "../.."));

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KubewardCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
