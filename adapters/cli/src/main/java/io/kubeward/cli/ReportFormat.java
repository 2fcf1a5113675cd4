package io.kubeward.cli;

import java.io.PrintWriter;
import java.util.Locale;
import tools.jackson.dataformat.yaml.YAMLMapper;

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
            out.println(Json.write(JsonReport.toMap(report)));
        }
    },
    YAML {
        @Override
        void write(ScanReport report, PrintWriter out) {
            out.print(YAML_MAPPER.writeValueAsString(JsonReport.toMap(report)));
        }
    },
    SARIF {
        @Override
        void write(ScanReport report, PrintWriter out) {
            out.println(Json.write(SarifReport.toMap(report)));
        }
    },
    JUNIT {
        @Override
        void write(ScanReport report, PrintWriter out) {
            out.print(JunitReport.write(report));
        }
    };

    private static final YAMLMapper YAML_MAPPER = YAMLMapper.builder().build();

    abstract void write(ScanReport report, PrintWriter out);

    static final String NAMES = "text, json, yaml, sarif or junit";

    static ReportFormat parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown output format '" + text + "'; expected " + NAMES);
        }
    }
}
