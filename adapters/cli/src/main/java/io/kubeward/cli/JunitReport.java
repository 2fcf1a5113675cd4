package io.kubeward.cli;

import io.kubeward.engine.Finding;
import io.kubeward.manifest.InputError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JUnit XML for CI systems: one test suite per input file, one test case per resource and rule
 * that reported (a failure, or skipped when exempted), and one passing case for a resource no rule
 * reported. Input errors are test cases with an error.
 */
final class JunitReport {

    private JunitReport() {
    }

    static String write(ScanReport r) {
        Map<String, Map<String, Map<String, List<Finding>>>> byFile = new LinkedHashMap<>();
        for (var o : r.read().objects()) {
            String file = o.source() == null ? "<input>" : o.source().file();
            byFile.computeIfAbsent(file, k -> new LinkedHashMap<>()).putIfAbsent(o.ref().display(), new LinkedHashMap<>());
        }
        for (Finding f : r.findings()) {
            String file = f.source() == null ? "<input>" : f.source().file();
            byFile.computeIfAbsent(file, k -> new LinkedHashMap<>())
                    .computeIfAbsent(f.resource().display(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(f.rule(), k -> new ArrayList<>()).add(f);
        }
        Map<String, List<InputError>> errorsByFile = new LinkedHashMap<>();
        for (InputError e : r.read().errors()) {
            errorsByFile.computeIfAbsent(e.file() == null ? "<input>" : e.file(), k -> new ArrayList<>()).add(e);
            byFile.computeIfAbsent(e.file() == null ? "<input>" : e.file(), k -> new LinkedHashMap<>());
        }
        StringBuilder suites = new StringBuilder();
        int totalTests = 0;
        int totalFailures = 0;
        int totalErrors = 0;
        int totalSkipped = 0;
        for (var file : byFile.entrySet()) {
            StringBuilder cases = new StringBuilder();
            int tests = 0;
            int failures = 0;
            int skipped = 0;
            for (var resource : file.getValue().entrySet()) {
                if (resource.getValue().isEmpty()) {
                    tests++;
                    cases.append("    <testcase classname=\"").append(xml(resource.getKey())).append("\" name=\"all rules\"/>\n");
                    continue;
                }
                for (var rule : resource.getValue().entrySet()) {
                    tests++;
                    List<Finding> fs = rule.getValue();
                    cases.append("    <testcase classname=\"").append(xml(resource.getKey())).append("\" name=\"")
                            .append(xml(rule.getKey())).append("\">\n");
                    boolean allExempted = fs.stream().allMatch(Finding::isExempted);
                    StringBuilder body = new StringBuilder();
                    for (Finding f : fs) {
                        body.append(f.severity().label()).append(' ').append(f.path())
                                .append(f.source() != null && f.source().line() > 0 ? " (line " + f.source().line() + ")" : "")
                                .append(": ").append(f.message())
                                .append(f.isExempted() ? " [exempted by " + f.exemption().source() + ": " + f.exemption().reason() + "]" : "")
                                .append('\n');
                    }
                    if (allExempted) {
                        skipped++;
                        cases.append("      <skipped message=\"exempted\">").append(xml(body.toString())).append("</skipped>\n");
                    } else {
                        failures++;
                        Finding first = fs.stream().filter(f -> !f.isExempted()).findFirst().orElse(fs.get(0));
                        cases.append("      <failure type=\"").append(first.severity().label()).append("\" message=\"")
                                .append(xml(first.message())).append("\">").append(xml(body.toString())).append("</failure>\n");
                    }
                    cases.append("    </testcase>\n");
                }
            }
            List<InputError> errors = errorsByFile.getOrDefault(file.getKey(), List.of());
            for (InputError e : errors) {
                tests++;
                cases.append("    <testcase classname=\"").append(xml(file.getKey())).append("\" name=\"document ")
                        .append(e.document()).append("\">\n      <error message=\"").append(xml(e.message())).append("\">")
                        .append(xml(e.display())).append("</error>\n    </testcase>\n");
            }
            suites.append("  <testsuite name=\"").append(xml(file.getKey())).append("\" tests=\"").append(tests)
                    .append("\" failures=\"").append(failures).append("\" errors=\"").append(errors.size())
                    .append("\" skipped=\"").append(skipped).append("\">\n").append(cases).append("  </testsuite>\n");
            totalTests += tests;
            totalFailures += failures;
            totalErrors += errors.size();
            totalSkipped += skipped;
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubeward\" tests=\"" + totalTests
                + "\" failures=\"" + totalFailures + "\" errors=\"" + totalErrors + "\" skipped=\"" + totalSkipped + "\">\n"
                + suites + "</testsuites>\n";
    }

    static String xml(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        sb.append(' ');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
