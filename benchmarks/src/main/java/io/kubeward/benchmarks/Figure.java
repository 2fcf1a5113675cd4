package io.kubeward.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One measured figure: what was measured (area and measure, e.g. "Network reachability",
 * "5,000 pods: analysis and connlist"), its value and unit. Benchmarks that run in a JVM of their
 * own hand their figures to the suite through a file of lines {@code area<TAB>measure<TAB>value<TAB>unit},
 * optionally followed by {@code <TAB>note} (a few words shown beside the figure); the format
 * {@code AdmissionBenchmark} writes too, when given {@code -Dkubeward.figures=FILE}.
 */
public record Figure(String area, String measure, double value, String unit, String note) {

    public Figure {
        note = note == null ? "" : note;
        for (String text : List.of(area, measure, unit, note)) {
            if (text.contains("\t") || text.contains("\n")) {
                throw new IllegalArgumentException("a figure's names hold no tab or line break: '" + text + "'");
            }
        }
    }

    public Figure(String area, String measure, double value, String unit) {
        this(area, measure, value, unit, "");
    }

    Figure withNote(String text) {
        return new Figure(area, measure, value, unit, note.isEmpty() ? text : note + "; " + text);
    }

    String line() {
        return area + "\t" + measure + "\t" + String.format(Locale.ROOT, "%.6f", value) + "\t" + unit + (note.isEmpty() ? "" : "\t" + note);
    }

    /** Reads a figure line; {@code where} names the file and line for the error message. */
    static Figure parse(String line, String where) {
        String[] parts = line.split("\t", -1);
        if (parts.length != 4 && parts.length != 5) {
            throw new IllegalArgumentException(where + ": a figure line has 4 or 5 tab-separated fields (area, measure, value, unit"
                    + " and a note), not " + parts.length + ": '" + line + "'");
        }
        try {
            return new Figure(parts[0], parts[1], Double.parseDouble(parts[2]), parts[3], parts.length == 5 ? parts[4] : "");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": the value of '" + parts[1] + "' is not a number: '" + parts[2] + "'");
        }
    }

    /** Appends figures to a file (a benchmark's {@code --figures FILE}); does nothing when the file is null. */
    static void append(Path file, List<Figure> figures) {
        if (file == null) {
            return;
        }
        StringBuilder text = new StringBuilder();
        figures.forEach(f -> text.append(f.line()).append('\n'));
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the figures to " + file, e);
        }
    }

    /** The figures of a file; none when it does not exist (the benchmark wrote none). */
    static List<Figure> read(Path file) throws IOException {
        List<Figure> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(parse(lines.get(i), file + " line " + (i + 1)));
            }
        }
        return out;
    }
}
