package io.kubeward.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Tells when the DRL files of the user's rule folders change: a file added, removed, rewritten or
 * touched. Polled by the long-running commands, which then compile the rules again in the background.
 * Not thread-safe: one poller calls it.
 */
final class RuleFolderWatch {

    private final List<Path> dirs;
    private String last;

    RuleFolderWatch(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
        this.last = fingerprint();
    }

    /** True when the folders differ from the last call (or from construction). */
    boolean changed() {
        String now = fingerprint();
        boolean changed = !Objects.equals(now, last);
        last = now;
        return changed;
    }

    private String fingerprint() {
        StringBuilder sb = new StringBuilder();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                sb.append(dir).append(":missing\n");
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                sb.append(files.filter(f -> f.toString().endsWith(".drl") && Files.isRegularFile(f)).sorted().map(f -> {
                    try {
                        return f + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis();
                    } catch (IOException e) {
                        return f + ":unreadable";
                    }
                }).collect(Collectors.joining("\n")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (UncheckedIOException e) {
                sb.append(dir).append(":unreadable");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
