package io.kubeward.admission.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Hands the benchmark's figures to the project's benchmark suite: with {@code -Dkubeward.figures=FILE}
 * each figure is appended to FILE as a line {@code area<TAB>measure<TAB>value<TAB>unit}; without it,
 * nothing happens.
 */
final class SuiteFigures {

    static final String AREA = "Admission webhook";

    private SuiteFigures() {
    }

    static void add(String measure, double value, String unit) {
        String file = System.getProperty("kubeward.figures");
        if (file == null) {
            return;
        }
        String line = AREA + "\t" + measure + "\t" + String.format(Locale.ROOT, "%.6f", value) + "\t" + unit + "\n";
        try {
            Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the figures to " + file, e);
        }
    }
}
