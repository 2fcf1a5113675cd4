package io.kubeward.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** The formats {@code scan} writes. */
enum ReportFormat {
    TEXT {
        @Override
        void write(ScanReport report, PrintWriter out) {
            TextReport.write(report, out);
        }
    },
    JSON {
        @Override
        void write(ScanReport report, PrintWriter out) {
            out.println(io.kubeward.cli.Json.write(JsonReport.toMap(report)));
        }
    };

    abstract void write(ScanReport report, PrintWriter out);

    static ReportFormat parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown output format '" + text + "'; expected text or json");
        }
    }
}
