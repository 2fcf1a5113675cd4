package io.kubeward.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The package and rule names a DRL text declares, read without compiling it. Rules loaded from the
 * executable model do not know the file they came from; the outline of the built-in DRL tells
 * which file each one was written in, and which built-in files the model covers.
 *
 * @param pack  the declared package, or "defaultpkg" when there is none (as Drools names it)
 * @param rules the declared rules, in the order of the text
 */
record DrlOutline(String pack, List<DeclaredRule> rules) {

    /** A rule declaration and the 1-based line and column of its {@code rule} keyword. */
    record DeclaredRule(String name, int line, int column) {
    }

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.$]+)", Pattern.MULTILINE);
    private static final Pattern RULE = Pattern.compile(
            "^[ \\t]*rule[ \\t]+(?:\"((?:[^\"\\\\\\n]|\\\\.)*)\"|'((?:[^'\\\\\\n]|\\\\.)*)'|([\\w$]+))", Pattern.MULTILINE);

    DrlOutline {
        rules = List.copyOf(rules);
    }

    static DrlOutline of(String drl) {
        String code = withoutComments(drl);
        Matcher p = PACKAGE.matcher(code);
        String pack = p.find() ? p.group(1) : "defaultpkg";
        List<DeclaredRule> rules = new ArrayList<>();
        Matcher m = RULE.matcher(code);
        while (m.find()) {
            String name = m.group(1) != null ? unescape(m.group(1)) : m.group(2) != null ? unescape(m.group(2)) : m.group(3);
            int keyword = code.indexOf("rule", m.start());
            rules.add(new DeclaredRule(name, lineOf(code, keyword), keyword - code.lastIndexOf('\n', keyword)));
        }
        return new DrlOutline(pack, rules);
    }

    /** The text with {@code //} and {@code /* *\/} comments blanked out (line breaks kept), strings untouched. */
    static String withoutComments(String drl) {
        StringBuilder out = new StringBuilder(drl.length());
        int i = 0;
        int n = drl.length();
        while (i < n) {
            char c = drl.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && drl.charAt(end) != c && drl.charAt(end) != '\n') {
                    end += drl.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                out.append(drl, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && drl.charAt(i + 1) == '/') {
                while (i < n && drl.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && i + 1 < n && drl.charAt(i + 1) == '*') {
                int end = drl.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (int k = i; k < end; k++) {
                    out.append(drl.charAt(k) == '\n' ? '\n' : ' ');
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String unescape(String quoted) {
        return quoted.replaceAll("\\\\(.)", "$1");
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
