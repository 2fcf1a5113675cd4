package io.kubeward.cli;

import io.kubeward.engine.RuleCatalog;
import io.kubeward.engine.RuleDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The documentation of the rules, generated from their metadata and examples: one Markdown page per
 * rule and an index. {@code kubeward rules docs --out docs/rules} writes it; {@code kubeward rules
 * explain ID} prints one page.
 */
final class RuleDocs {

    private final RuleCatalog catalog;
    private final ClassLoader loader;

    RuleDocs(RuleCatalog catalog, ClassLoader loader) {
        this.catalog = catalog;
        this.loader = loader;
    }

    /** File name → content of every page, the index ({@code README.md}) first. */
    Map<String, String> pages() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("README.md", index());
        for (RuleDescriptor d : catalog.all()) {
            out.put(d.id() + ".md", page(d));
        }
        return out;
    }

    String index() {
        StringBuilder sb = new StringBuilder("# Rules\n\n");
        sb.append("Generated from the rules' metadata and examples by `bin/kubeward rules docs --out docs/rules`; do not edit by hand.\n\n");
        sb.append("| id | severity | category | title |\n| --- | --- | --- | --- |\n");
        for (RuleDescriptor d : catalog.all()) {
            sb.append("| [`").append(d.id()).append("`](").append(d.id()).append(".md) | ").append(d.severity().label())
                    .append(" | ").append(d.category()).append(" | ").append(escape(d.title())).append(" |\n");
        }
        sb.append('\n').append(catalog.size()).append(" rules.\n");
        return sb.toString();
    }

    String page(RuleDescriptor d) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(d.id()).append(": ").append(d.title()).append("\n\n");
        sb.append("| | |\n| --- | --- |\n");
        sb.append("| id | `").append(d.id()).append("` |\n");
        sb.append("| severity | ").append(d.severity().label()).append(" (default; a configuration may override it) |\n");
        sb.append("| category | ").append(d.category()).append(" |\n");
        if (d.optIn()) {
            sb.append("| opt-in | runs only when enabled: `kubeward scan --enable ").append(d.id())
                    .append("`, or `rules: {").append(d.id()).append(": {enabled: true}}` in the configuration |\n");
        }
        if (!d.fields().isEmpty()) {
            sb.append("| inspects | ").append(String.join(", ", d.fields().stream().map(f -> "`" + f + "`").toList())).append(" |\n");
        }
        if (!d.docs().isBlank()) {
            sb.append("| reference | ").append(d.docs()).append(" |\n");
        }
        sb.append("\n## Rationale\n\n").append(d.rationale()).append("\n\n## Remediation\n\n").append(d.remediation()).append('\n');
        List<Map.Entry<String, String>> examples = examples(d);
        if (!examples.isEmpty()) {
            sb.append("\n## Examples\n");
            for (Map.Entry<String, String> e : examples) {
                boolean allowed = e.getKey().startsWith("allowed-");
                sb.append("\n### ").append(allowed ? "Allowed" : "Reported").append(": `").append(e.getKey()).append("`\n\n");
                sb.append("```yaml\n").append(e.getValue().stripTrailing()).append("\n```\n");
            }
        }
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }

    /** The examples beside the rule's DRL, allowed first, by name. */
    private List<Map.Entry<String, String>> examples(RuleDescriptor d) {
        URL drl = loader.getResource(d.origin());
        if (drl == null) {
            return List.of();
        }
        try {
            URI uri = drl.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return read(fs.provider().getPath(uri).getParent());
            }
            return read(Path.of(uri).getParent());
        } catch (URISyntaxException | IOException e) {
            throw new UncheckedIOException(new IOException("cannot read the examples of " + d.id() + ": " + e.getMessage(), e));
        }
    }

    private static List<Map.Entry<String, String>> read(Path folder) throws IOException {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String prefix : List.of("allowed-", "disallowed-")) {
            try (Stream<Path> s = Files.list(folder)) {
                for (Path p : s.filter(x -> x.getFileName().toString().startsWith(prefix)).sorted().toList()) {
                    out.add(Map.entry(p.getFileName().toString(), new String(Files.readAllBytes(p), StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }
}
