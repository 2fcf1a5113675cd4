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
        if (stream.indexOf('\r') >= 0 || stream.startsWith("...") || stream.contains("\n...")) {
            return splitByLines(stream);
        }
        // no line breaks to rewrite and no end markers: each document is its stretch of the stream,
        // after the text that follows its --- on that line
        List<Chunk> out = new ArrayList<>();
        String head = "";
        int regionStart = 0;
        int start = 1;
        boolean content = false;
        int lineNumber = 0;
        int from = 0;
        while (true) {
            int nl = stream.indexOf('\n', from);
            int end = nl < 0 ? stream.length() : nl;
            lineNumber++;
            if (isDocumentStart(stream, from, end)) {
                if (content) {
                    out.add(new Chunk(head + stream.substring(regionStart, from), start));
                }
                start = lineNumber;
                head = stream.substring(from + 3, end) + "\n";
                content = hasContent(stream, from + 3, end);
                regionStart = nl < 0 ? -1 : nl + 1;
            } else if (!content && hasContent(stream, from, end)) {
                content = true;
            }
            if (nl < 0) {
                break;
            }
            from = nl + 1;
        }
        if (content) {
            out.add(new Chunk(regionStart < 0 ? head : head + stream.substring(regionStart) + "\n", start));
        }
        return out;
    }

    /** The same cut, line by line: for streams with {@code \r\n} line breaks or {@code ...} lines. */
    static List<Chunk> splitByLines(String stream) {
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
