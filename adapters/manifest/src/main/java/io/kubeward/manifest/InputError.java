package io.kubeward.manifest;

/**
 * A document that could not be read as a Kubernetes object: which file, which document (1-based,
 * counting non-empty documents; 0 for the whole file), which line (0 when unknown), which field
 * (null when the document itself is at fault) and what is wrong.
 */
public record InputError(String file, int document, int line, String field, String message) {

    public String display() {
        StringBuilder sb = new StringBuilder(file == null ? "<input>" : file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        if (document > 0) {
            sb.append(" (document ").append(document).append(')');
        }
        sb.append(": ");
        if (field != null && !field.isEmpty()) {
            sb.append("field ").append(field).append(": ");
        }
        return sb.append(message).toString();
    }
}
