package io.kubeward.engine;

import java.util.Map;

/**
 * The origin of one input object: the file and document it came from, the line its document (or
 * list item) starts at, and, when the reader knows them, the line of each field by path
 * relative to the object ({@code spec.containers[0].ports[0].hostPort}).
 */
public record Source(String file, int document, int line, Map<String, Integer> fieldLines) {

    public Source {
        // a FieldLines is read-only already, and far smaller than a copy
        fieldLines = fieldLines == null ? Map.of() : fieldLines instanceof FieldLines ? fieldLines : Map.copyOf(fieldLines);
    }

    public static Source of(String file, int document, int line) {
        return new Source(file, document, line, Map.of());
    }

    /** The location of a field: its own line, else the nearest enclosing field's, else the object's. */
    public SourceLocation locate(String path) {
        String p = path;
        while (p != null && !p.isEmpty()) {
            Integer l = fieldLines.get(p);
            if (l != null) {
                return new SourceLocation(file, document, l);
            }
            p = parentPath(p);
        }
        return new SourceLocation(file, document, line);
    }

    static String parentPath(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? null : path.substring(0, cut);
    }
}
