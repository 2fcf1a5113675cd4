package io.kubeward.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The suite's figures as one table: area, measure, figure, target, reference, ratio, verdict and
 * a note, as plain text for the console and as Markdown for the README. A figure that only serves
 * as another's reference appears in that figure's reference column, not as a row of its own.
 * Targets whose figure is missing (a benchmark that failed) appear as "not measured".
 */
final class FiguresTable {

    static final List<String> HEADINGS = List.of("area", "measure", "figure", "target", "reference", "ratio", "verdict", "note");

    /** One line of the table, every cell as text. */
    record Row(String area, String measure, String figure, String target, String reference, String ratio, String verdict, String note) {

        List<String> cells() {
            return List.of(area, measure, figure, target, reference, ratio, verdict, note);
        }
    }

    private final List<Row> rows;

    private FiguresTable(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    /**
     * @param reportMissing whether a target without its figure gets a "not measured" row (a full
     *                      run measures every target's size; a quick run measures smaller ones)
     */
    static FiguresTable of(List<Figure> figures, List<Target> targets, boolean reportMissing) {
        Set<String> references = new LinkedHashSet<>();
        for (Target t : targets) {
            if (t.reference() != null) {
                references.add(t.area() + "\t" + t.reference());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Figure f : figures) {
            if (references.contains(f.area() + "\t" + f.measure())) {
                continue;
            }
            Optional<Target> target = Target.of(f, targets);
            Figure ref = target.filter(t -> t.reference() != null)
                    .flatMap(t -> figures.stream().filter(g -> g.area().equals(t.area()) && g.measure().equals(t.reference())).findFirst())
                    .orElse(null);
            Double ratio = ref == null ? null : ratio(f, ref);
            String verdict = target.map(t -> t.metBy(f.value(), ratio) ? "met" : "NOT met").orElse("");
            rows.add(new Row(f.area(), f.measure(), value(f.value(), f.unit()), target.map(t -> t.describe(f.unit())).orElse(""),
                    ref == null ? "" : ref.measure() + ": " + value(ref.value(), ref.unit()),
                    ratio == null ? "" : String.format(Locale.ROOT, "%.1fx", ratio), verdict, f.note()));
        }
        if (reportMissing) {
            for (Target t : targets) {
                if (figures.stream().noneMatch(t::matches)) {
                    rows.add(new Row(t.area(), t.measure(), "-", t.describe(""), "", "", "not measured", "the benchmark failed: see its log"));
                }
            }
        }
        return new FiguresTable(rows);
    }

    List<Row> rows() {
        return rows;
    }

    /**
     * How many times the reference's cost the figure is: time over the reference's time, or for a
     * rate (a unit per second) the reference's rate over the figure's.
     */
    static double ratio(Figure figure, Figure reference) {
        boolean rate = figure.unit().endsWith("/s");
        return rate ? reference.value() / figure.value() : figure.value() / reference.value();
    }

    /** The verdicts: how many targets were met, and how many were not (or not measured). */
    String summary() {
        long met = rows.stream().filter(r -> r.verdict().equals("met")).count();
        long notMet = rows.stream().filter(r -> !r.verdict().isEmpty() && !r.verdict().equals("met")).count();
        return met + " of " + (met + notMet) + " targets met";
    }

    String text() {
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADINGS);
        String area = null;
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(r.cells());
            if (r.area().equals(area)) {
                cells.set(0, "");
            } else if (area != null) {
                lines.add(List.of()); // a blank line between areas
            }
            area = r.area();
            lines.add(cells);
        }
        int[] widths = new int[HEADINGS.size()];
        for (List<String> cells : lines) {
            for (int i = 0; i < cells.size(); i++) {
                widths[i] = Math.max(widths[i], cells.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> cells : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                // figures and ratios right-aligned, the rest left
                line.append(pad(cells.get(i), widths[i], i == 2 || i == 5)).append("  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", HEADINGS)).append(" |\n");
        out.append("| --- | --- | ---: | --- | --- | ---: | --- | --- |\n");
        String area = null;
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(r.cells());
            if (r.area().equals(area)) {
                cells.set(0, "");
            } else {
                cells.set(0, "**" + r.area() + "**");
            }
            area = r.area();
            out.append("| ").append(String.join(" | ", cells.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
        }
        return out.toString();
    }

    private static String pad(String text, int width, boolean right) {
        String spaces = " ".repeat(Math.max(0, width - text.length()));
        return right ? spaces + text : text + spaces;
    }

    /** A value with its unit, to about three significant digits. */
    static String value(double value, String unit) {
        return number(value) + (unit.isEmpty() ? "" : " " + unit);
    }

    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }
}
