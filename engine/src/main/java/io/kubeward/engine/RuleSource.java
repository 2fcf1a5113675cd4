package io.kubeward.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * DRL text and the name it is reported under in compile errors.
 *
 * <p>Built-in rule packs announce themselves with a {@value #INDEX} resource on the classpath that
 * lists their DRL resources, one per line. A pack jar may carry them precompiled as well (a
 * {@code META-INF/kubeward/rules.model} resource naming the generated model classes): the engine then
 * loads those instead of compiling the DRL.
 */
public record RuleSource(String name, String drl) {

    public static final String INDEX = "META-INF/kubeward/rules.index";

    public RuleSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(drl, "drl");
    }

    /** Every DRL file below a folder of the user's, in a stable order. */
    public static List<RuleSource> directory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("rules folder " + dir + " does not exist or is not a folder");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<RuleSource> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".drl") && Files.isRegularFile(f)).sorted().toList()) {
                out.add(new RuleSource(p.toString(), Files.readString(p, StandardCharsets.UTF_8)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The built-in packs found on the class loader's path through their index files. */
    public static List<RuleSource> builtin(ClassLoader loader) {
        List<RuleSource> out = new ArrayList<>();
        try {
            Enumeration<java.net.URL> indexes = loader.getResources(INDEX);
            while (indexes.hasMoreElements()) {
                java.net.URL index = indexes.nextElement();
                String text;
                try (InputStream in = index.openStream()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                for (String line : text.split("\\R")) {
                    String resource = line.strip();
                    if (resource.isEmpty() || resource.startsWith("#")) {
                        continue;
                    }
                    try (InputStream in = loader.getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new IllegalStateException(index + " lists " + resource + ", which is not on the classpath");
                        }
                        out.add(new RuleSource(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in rule packs: " + e.getMessage(), e);
        }
        return out;
    }
}
