package io.kubeward.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One {@code --output FORMAT[=FILE]}: a format and where it goes (null: standard output). */
record OutputTarget(ReportFormat format, Path file) {

    static OutputTarget parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            return new OutputTarget(ReportFormat.parse(spec), null);
        }
        String file = spec.substring(eq + 1).strip();
        if (file.isEmpty()) {
            throw new IllegalArgumentException("--output " + spec + " names no file after '='");
        }
        return new OutputTarget(ReportFormat.parse(spec.substring(0, eq)), file.equals("-") ? null : Path.of(file));
    }

    /** Parses every spec; at most one may go to standard output. */
    static List<OutputTarget> parseAll(List<String> specs) {
        List<OutputTarget> out = new ArrayList<>();
        for (String s : specs) {
            out.add(parse(s));
        }
        if (out.stream().filter(t -> t.file() == null).count() > 1) {
            throw new IllegalArgumentException("only one --output may go to standard output; give the others a file (FORMAT=FILE)");
        }
        return out;
    }
}
