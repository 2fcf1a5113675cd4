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
 * Tells when the files of some kinds (by name ending) among some files and folders change: added,
 * removed, rewritten or touched: the manifests of {@code --psp}, the DRL files of {@code --rules}. Sizes and times are those of the files links point
 * to, so a ConfigMap volume, whose update swaps a link, counts as changed. Polled by the long-running
 * commands; not thread-safe: one poller calls it.
 */
final class FileWatch {

    static final List<String> MANIFESTS = List.of(".yaml", ".yml", ".json");
    static final List<String> RULES = List.of(".drl");

    private final List<Path> paths;
    private final List<String> endings;
    private String last;

    /** @param endings the name endings of the files that count, in lower case */
    FileWatch(List<Path> paths, List<String> endings) {
        this.paths = List.copyOf(paths);
        this.endings = List.copyOf(endings);
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
                sb.append(files.filter(this::counts).filter(Files::isRegularFile).sorted()
                        .map(FileWatch::stamp).collect(Collectors.joining("\n")));
            } catch (IOException | UncheckedIOException e) {
                sb.append(p).append(":unreadable");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private boolean counts(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return endings.stream().anyMatch(n::endsWith);
    }

    private static String stamp(Path f) {
        try {
            return f + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return f + ":unreadable";
        }
    }
}
