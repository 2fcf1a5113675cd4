package io.kubeward.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The generated part of the README's performance section: the text between
 * {@value #BEGIN} and {@value #END}. Everything outside the markers stays as it is, and writing
 * the same content twice changes nothing.
 */
final class ReadmeSection {

    static final String BEGIN = "<!-- performance:begin -->";
    static final String END = "<!-- performance:end -->";

    private ReadmeSection() {
    }

    /**
     * The document with the text between the markers replaced by {@code content}.
     *
     * @param name names the document in errors
     * @throws IllegalArgumentException when a marker is missing, doubled, or the end comes first
     */
    static String replace(String document, String content, String name) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < 0) {
            throw new IllegalArgumentException(name + " has no " + (begin < 0 ? BEGIN : END) + " line: put " + BEGIN + " and " + END
                    + " around the part of the performance section the suite writes");
        }
        if (document.indexOf(BEGIN, begin + 1) >= 0 || document.indexOf(END, end + 1) >= 0) {
            throw new IllegalArgumentException(name + " holds " + (document.indexOf(BEGIN, begin + 1) >= 0 ? BEGIN : END)
                    + " more than once: keep one pair of markers");
        }
        if (end < begin) {
            throw new IllegalArgumentException(name + ": " + END + " comes before " + BEGIN);
        }
        return document.substring(0, begin + BEGIN.length()) + "\n" + content.strip() + "\n" + document.substring(end);
    }

    /** Rewrites the file's generated part; true when that changed the file. */
    static boolean update(Path file, String content) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a file (--update-readme names the README to rewrite)");
        }
        String before = Files.readString(file, StandardCharsets.UTF_8);
        String after = replace(before, content, file.toString());
        if (after.equals(before)) {
            return false;
        }
        Files.writeString(file, after, StandardCharsets.UTF_8);
        return true;
    }
}
