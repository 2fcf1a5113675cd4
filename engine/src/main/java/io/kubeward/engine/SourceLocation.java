package io.kubeward.engine;

/**
 * Where something sits in the user's input: file (or "-" for stdin, or a label such as
 * "admission-request"), 1-based document index in a multi-document stream, and 1-based line.
 * Any part may be unknown: document and line are 0 then.
 */
public record SourceLocation(String file, int document, int line) {

    public String display() {
        StringBuilder sb = new StringBuilder(file == null ? "<input>" : file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        if (document > 0) {
            sb.append(" (document ").append(document).append(')');
        }
        return sb.toString();
    }
}
