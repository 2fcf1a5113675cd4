package io.kubeward.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Tells when the manifest files ({@code .yaml}, {@code .yml}, {@code .json}) of some files and folders
 * change: added, removed, rewritten or touched. Sizes and times are those of the files links point
 * to, so a ConfigMap volume, whose update swaps a link, counts as changed. Polled by the long-running
 * commands; not thread-safe: one poller calls it.
 */
final class ManifestFileWatch {

    private final List<Path> paths;
    private String last;

    ManifestFileWatch(List<Path> paths) {
        this.paths = List.copyOf(paths);
        this.last = fingerprint();
    }

    /** True when the files differ from the last call (or from construction). */
    boolean changed() {
        String now = fingerprint();
        boolean changed = !Objects.equals(now, last);
        last = now;
        return changed;
    }

    private String fingerprint() {
        StringBuilder sb = new StringBuilder();
        for (Path p : paths) {
            if (Files.isRegularFile(p)) {
                sb.append(stamp(p)).append('\n');
                continue;
            }
            if (!Files.isDirectory(p)) {
                sb.append(p).append(":missing\n");
                continue;
            }
            try (Stream<Path> files = Files.walk(p)) {
                sb.append(files.filter(ManifestFileWatch::isManifest).filter(Files::isRegularFile).sorted()
                        .map(ManifestFileWatch::stamp).collect(Collectors.joining("\n")));
            } catch (IOException | UncheckedIOException e) {
                sb.append(p).append(":unreadable");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static boolean isManifest(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    private static String stamp(Path f) {
        try {
            return f + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return f + ":unreadable";
        }
    }
}
