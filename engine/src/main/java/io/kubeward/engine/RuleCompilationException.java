package io.kubeward.engine;

import java.util.List;
import java.util.stream.Collectors;

/** A rule set that does not compile. Nothing of it runs; each error names its file, line and column. */
public class RuleCompilationException extends RuntimeException {

    /** One compile error. Line and column are 1-based, 0 when unknown. */
    public record RuleError(String file, int line, int column, String message) {
        public String display() {
            StringBuilder sb = new StringBuilder(file == null ? "<rules>" : file);
            if (line > 0) {
                sb.append(':').append(line);
                if (column > 0) {
                    sb.append(':').append(column);
                }
            }
            return sb.append(": ").append(message).toString();
        }
    }

    private final List<RuleError> errors;

    public RuleCompilationException(List<RuleError> errors) {
        super("the rules do not compile (" + errors.size() + " error" + (errors.size() == 1 ? "" : "s") + "):\n"
                + errors.stream().map(e -> "  " + e.display()).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<RuleError> errors() {
        return errors;
    }
}
