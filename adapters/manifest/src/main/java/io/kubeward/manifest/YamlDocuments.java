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
        StringBuilder current = new StringBuilder();
        int start = 1;
        boolean content = false;
        int lineNumber = 0;
        int from = 0;
        while (true) {
            // one line: [from, end), its break (\n or \r\n) left out; the last one kept even when empty
            int nl = stream.indexOf('\n', from);
            int end = nl < 0 ? stream.length() : nl > from && stream.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            lineNumber++;
            if (isDocumentStart(stream, from, end)) {
                if (content) {
                    out.add(new Chunk(current.toString(), start));
                }
                current.setLength(0);
                start = lineNumber;
                // "--- {a: 1}" or "--- |" keeps what follows the marker on the first line
                current.append(stream, from + 3, end).append('\n');
                content = hasContent(stream, from + 3, end);
            } else if (isDocumentEnd(stream, from, end)) {
                current.append('\n');
            } else {
                if (!content && hasContent(stream, from, end)) {
                    content = true;
                }
                current.append(stream, from, end).append('\n');
            }
            if (nl < 0) {
                break;
            }
            from = nl + 1;
        }
        if (content) {
            out.add(new Chunk(current.toString(), start));
        }
        return out;
    }

    private static boolean isDocumentStart(String s, int from, int end) {
        return end - from >= 3 && s.startsWith("---", from) && (end - from == 3 || Character.isWhitespace(s.charAt(from + 3)));
    }

    private static boolean isDocumentEnd(String s, int from, int end) {
        return end - from >= 3 && s.startsWith("...", from) && (end - from == 3 || s.charAt(from + 3) == ' ');
    }

    /** Whether the line holds more than spaces, a comment or a directive. */
    private static boolean hasContent(String s, int from, int end) {
        int i = from;
        while (i < end && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i < end && s.charAt(i) != '#' && s.charAt(i) != '%';
    }
}
