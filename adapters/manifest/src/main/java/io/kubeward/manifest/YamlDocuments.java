package io.kubeward.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a YAML stream into its documents at {@code ---} lines, so that a broken document does not
 * hide the ones after it. Only documents with content count; blank and comment-only ones are
 * dropped, so document N is the N-th document that holds something.
 */
final class YamlDocuments {

    /** One document's text and the 1-based line of the stream it starts on. */
    record Chunk(String text, int firstLine) {
    }

    private YamlDocuments() {
    }

    static List<Chunk> split(String stream) {
        List<Chunk> out = new ArrayList<>();
        List<String> lines = lines(stream);
        StringBuilder current = new StringBuilder();
        int start = 1;
        boolean content = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (isDocumentStart(line)) {
                if (content) {
                    out.add(new Chunk(current.toString(), start));
                }
                current.setLength(0);
                content = false;
                start = i + 1;
                // "--- {a: 1}" or "--- |" keeps what follows the marker on the first line
                String rest = line.length() > 3 ? line.substring(3) : "";
                current.append(rest).append('\n');
                content = hasContent(rest);
                continue;
            }
            if (line.equals("...") || line.startsWith("... ")) {
                current.append('\n');
                continue;
            }
            if (!content && hasContent(line)) {
                content = true;
            }
            current.append(line).append('\n');
        }
        if (content) {
            out.add(new Chunk(current.toString(), start));
        }
        return out;
    }

    /** The lines at {@code \n} or {@code \r\n}, the last one kept even when empty. */
    private static List<String> lines(String stream) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (true) {
            int nl = stream.indexOf('\n', from);
            if (nl < 0) {
                lines.add(stream.substring(from));
                return lines;
            }
            int end = nl > from && stream.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            lines.add(stream.substring(from, end));
            from = nl + 1;
        }
    }

    private static boolean isDocumentStart(String line) {
        return line.startsWith("---") && (line.length() == 3 || Character.isWhitespace(line.charAt(3)));
    }

    private static boolean hasContent(String line) {
        String t = line.strip();
        return !t.isEmpty() && !t.startsWith("#") && !t.startsWith("%");
    }
}
