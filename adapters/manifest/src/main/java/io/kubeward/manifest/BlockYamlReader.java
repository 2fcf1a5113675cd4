package io.kubeward.manifest;

import io.kubeward.engine.FieldLines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.JsonScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Reads the block-style YAML that manifests are nearly always written in straight from the text,
 * into the same values, field lines and YAML 1.1 boolean words as {@link YamlTree} makes from the
 * full parser's nodes: block mappings and sequences (indentless ones too), one-line plain and
 * quoted scalars, literal block scalars ({@code |}, {@code |-}), one-line flow sequences of
 * scalars, empty flow collections and comments.
 *
 * <p>Anything beyond that subset is declined and the document goes to the full parser: anchors,
 * aliases, tags, merge keys, directives, multi-line plain or quoted scalars, folded or kept block
 * scalars, complex keys, tabs, unusual characters, duplicate keys, a document over the reader's
 * limits, and anything malformed. So this reader never decides what a document means on its own
 * terms; it only saves the full parser's node tree where the answer is certain.
 */
final class BlockYamlReader {

    /** What a document read here holds: the same three things {@link YamlTree} gives. */
    record Result(Map<String, Object> value, int line, FieldLines lines, Map<String, Boolean> yaml11Booleans) {
    }

    /** Thrown inside to give the document to the full parser; carries no stack. */
    private static final class Declined extends RuntimeException {
        Declined() {
            super("declined", null, false, false);
        }
    }

    private static final Declined DECLINED = new Declined();

    private final String text;
    private final char[] chars;
    /** Each line's indentation, worked out on first use (-1 before). */
    private final int[] indents;
    private final int lineOffset;
    private final int maxValues;
    private final int maxDepth;
    private final ScalarResolver resolver;
    private final boolean jsonSchema;
    private final int[] starts;
    private final int[] ends;
    private final int count;
    private final FieldLines.Builder lines = FieldLines.builder();
    private final Map<String, Boolean> yaml11Booleans = new HashMap<>();
    /** The line after the node read last. */
    private int next;
    private int values;

    private BlockYamlReader(String text, char[] chars, int[] starts, int[] ends, int count, int lineOffset, int maxValues,
                            int maxDepth, ScalarResolver resolver) {
        this.text = text;
        this.chars = chars;
        this.starts = starts;
        this.ends = ends;
        this.count = count;
        this.lineOffset = lineOffset;
        this.maxValues = maxValues;
        this.maxDepth = maxDepth;
        this.resolver = resolver;
        this.jsonSchema = resolver.getClass() == JsonScalarResolver.class;
        indents = new int[count];
        java.util.Arrays.fill(indents, -1);
    }

    /**
     * Reads one document (the text between two {@code ---} lines) whose first line is line
     * {@code lineOffset} of its file; null when the document is left to the full parser.
     */
    static Result read(String text, int lineOffset, int maxValues, int maxDepth, ScalarResolver resolver) {
        char[] chars = text.toCharArray();
        // one pass: where the lines start, and whether every character is one this reader takes
        // (no tabs, no control or non-printable characters, no line breaks other than \n)
        int[] starts = new int[64];
        int count = 1;
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (c < 0x20) {
                if (c != '\n') {
                    return null;
                }
                if (count == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            } else if (c >= 0x7F && (c <= 0x9F || c == 0x2028 || c == 0x2029 || c >= 0xD800 && c <= 0xDFFF
                    || c == 0xFEFF || c >= 0xFFFE)) {
                return null;
            }
        }
        int[] ends = new int[count];
        for (int l = 0; l < count - 1; l++) {
            ends[l] = starts[l + 1] - 1;
        }
        ends[count - 1] = chars.length;
        BlockYamlReader reader = new BlockYamlReader(text, chars, starts, ends, count, lineOffset, maxValues, maxDepth, resolver);
        try {
            return reader.document();
        } catch (Declined e) {
            return null;
        }
    }

    private Result document() {
        int first = nextContent(0);
        if (first < 0) {
            throw DECLINED;
        }
        int col = indent(first);
        if (text.charAt(starts[first] + col) == '%' || keyEnd(first, col) < 0) {
            throw DECLINED; // a directive, or not a mapping: the full parser says what it is
        }
        count(0);
        Map<String, Object> root = mapping(first, col, -1, 0);
        if (nextContent(next) >= 0) {
            throw DECLINED;
        }
        return new Result(root, first + lineOffset, lines.build(), yaml11Booleans);
    }

    private void count(int depth) {
        if (++values > maxValues || depth > maxDepth) {
            throw DECLINED;
        }
    }

    // ---- lines

    private char at(int line, int col) {
        int i = starts[line] + col;
        return i < ends[line] ? chars[i] : '\n';
    }

    private int length(int line) {
        return ends[line] - starts[line];
    }

    private int indent(int line) {
        int known = indents[line];
        if (known >= 0) {
            return known;
        }
        int c = 0;
        while (at(line, c) == ' ') {
            c++;
        }
        indents[line] = c;
        return c;
    }

    private int skipSpaces(int line, int col) {
        while (at(line, col) == ' ') {
            col++;
        }
        return col;
    }

    /** The first line from {@code line} on that holds more than spaces and a comment; -1 if none. */
    private int nextContent(int line) {
        for (int i = line; i < count; i++) {
            char c = at(i, indent(i));
            if (c != '\n' && c != '#') {
                return i;
            }
        }
        return -1;
    }

    /** True when only spaces, or spaces and a comment, follow {@code col}. */
    private boolean restIsEmpty(int line, int col) {
        int c = skipSpaces(line, col);
        char ch = at(line, c);
        return ch == '\n' || ch == '#' && c > col;
    }

    private boolean isEntry(int line, int col) {
        return at(line, col) == '-' && (at(line, col + 1) == ' ' || at(line, col + 1) == '\n');
    }

    // ---- keys

    /**
     * Where the key of a mapping entry starting at {@code col} ends: the column of its {@code :}
     * (followed by a space or the end of the line); -1 when the text there is not a simple key.
     */
    private int keyEnd(int line, int col) {
        char first = at(line, col);
        if (first == '"' || first == '\'') {
            int close = quotedEnd(line, col);
            if (close < 0) {
                return -1;
            }
            int c = skipSpaces(line, close);
            return at(line, c) == ':' && (at(line, c + 1) == ' ' || at(line, c + 1) == '\n') ? c : -1;
        }
        if (first < 128 && NOT_FIRST_IN_KEY[first]) {
            return -1;
        }
        if (line == memoLine && col == memoCol) {
            return memoColon;
        }
        int base = starts[line];
        int end = ends[line];
        int limit = Math.min(end, base + col + 1000);
        int colon = -1;
        for (int i = base + col; i < limit; i++) {
            char ch = chars[i];
            if (ch < 128 && SPECIAL_IN_KEY[ch]) {
                if (ch == ':') {
                    if (i + 1 == end || chars[i + 1] == ' ') {
                        colon = i - base;
                        break;
                    }
                } else if (ch != '#' || chars[i - 1] == ' ') {
                    break; // a flow indicator, or a comment
                }
            }
        }
        memoLine = line;
        memoCol = col;
        memoColon = colon;
        return colon;
    }

    /** Characters a plain key may not start with (YAML indicators, a space, the line's end). */
    private static final boolean[] NOT_FIRST_IN_KEY = table("-?:,[]{}#&*!|>%@` \n");
    /** Characters that end or rule out a plain key: its colon, flow indicators, a comment. */
    private static final boolean[] SPECIAL_IN_KEY = table(":,[]{}#");

    private static boolean[] table(String chars) {
        boolean[] t = new boolean[128];
        for (char c : chars.toCharArray()) {
            t[c] = true;
        }
        return t;
    }

    /** The last plain key looked for: a sequence item's key is looked for again by its mapping. */
    private int memoLine = -1;
    private int memoCol;
    private int memoColon;

    private String keyText(int line, int col, int colon) {
        char first = at(line, col);
        if (first == '"' || first == '\'') {
            return quoted(line, col);
        }
        int end = colon;
        while (end > col && at(line, end - 1) == ' ') {
            end--;
        }
        return text.substring(starts[line] + col, starts[line] + end);
    }

    // ---- collections

    private Map<String, Object> mapping(int line, int col, int node, int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        while (true) {
            int colon = keyEnd(line, col);
            if (colon < 0) {
                throw DECLINED;
            }
            String key = keyText(line, col, colon);
            if ("<<".equals(key) || out.containsKey(key)) {
                throw DECLINED; // merge keys and duplicates: the full parser's way
            }
            int child = lines.field(node, key, line + lineOffset);
            count(depth + 1);
            out.put(key, value(line, colon + 1, col, child, depth + 1, true));
            int following = nextContent(next);
            if (following < 0 || indent(following) < col) {
                return out;
            }
            if (indent(following) > col) {
                throw DECLINED;
            }
            line = following;
        }
    }

    private List<Object> sequence(int line, int col, int node, int depth) {
        List<Object> out = new ArrayList<>();
        while (true) {
            int child;
            count(depth + 1);
            int c = skipSpaces(line, col + 1);
            Object item;
            if (restIsEmpty(line, col + 1)) {
                int content = nextContent(line + 1);
                if (content < 0 || indent(content) <= col) {
                    throw DECLINED; // an empty item
                }
                child = lines.item(node, out.size(), content + lineOffset);
                item = block(content, indent(content), child, depth + 1);
            } else {
                child = lines.item(node, out.size(), line + lineOffset);
                if (keyEnd(line, c) >= 0) {
                    item = mapping(line, c, child, depth + 1);
                } else {
                    item = inline(line, c, col, child, depth + 1);
                }
            }
            out.add(item);
            int following = nextContent(next);
            if (following < 0 || indent(following) < col || !isEntry(following, col)) {
                return out; // what follows is the enclosing collection's to judge
            }
            if (indent(following) > col) {
                throw DECLINED;
            }
            line = following;
        }
    }

    /** A node that starts a line of its own at {@code col}. */
    private Object block(int line, int col, int node, int depth) {
        if (isEntry(line, col)) {
            return sequence(line, col, node, depth);
        }
        if (keyEnd(line, col) >= 0) {
            return mapping(line, col, node, depth);
        }
        throw DECLINED; // a scalar on a line of its own
    }

    /**
     * The value after a key's {@code :} (or a sequence entry's {@code -}) at {@code col}; the
     * enclosing collection sits at column {@code parent}.
     */
    private Object value(int line, int col, int parent, int node, int depth, boolean inMapping) {
        if (restIsEmpty(line, col)) {
            int content = nextContent(line + 1);
            if (content >= 0 && indent(content) > parent) {
                return block(content, indent(content), node, depth);
            }
            if (inMapping && content >= 0 && indent(content) == parent && isEntry(content, parent)) {
                return sequence(content, parent, node, depth);
            }
            next = line + 1;
            return plain("", node);
        }
        return inline(line, skipSpaces(line, col), parent, node, depth);
    }

    /** A value that starts on the current line at {@code col}. */
    private Object inline(int line, int col, int parent, int node, int depth) {
        char first = at(line, col);
        Object value;
        int end;
        switch (first) {
            case '"', '\'' -> {
                end = quotedEnd(line, col);
                if (end < 0) {
                    throw DECLINED;
                }
                value = quoted(line, col);
            }
            case '|' -> {
                return literal(line, col, parent);
            }
            case '[', '{' -> {
                value = flow(line, col, node, depth);
                end = flowEnd;
            }
            default -> {
                if ("]},#&*!>%@`".indexOf(first) >= 0
                        || ("-?:".indexOf(first) >= 0 && (at(line, col + 1) == ' ' || at(line, col + 1) == '\n'))) {
                    throw DECLINED;
                }
                end = col;
                int len = length(line);
                while (end < len && !(at(line, end) == ' ' && at(line, end + 1) == '#')) {
                    char ch = at(line, end);
                    if (ch == ':' && (end + 1 == len || at(line, end + 1) == ' ')) {
                        throw DECLINED; // a mapping where a scalar stands
                    }
                    end++;
                }
                int trimmed = end;
                while (at(line, trimmed - 1) == ' ') {
                    trimmed--;
                }
                value = plain(text.substring(starts[line] + col, starts[line] + trimmed), node);
            }
        }
        if (!restIsEmpty(line, end)) {
            throw DECLINED;
        }
        int following = nextContent(line + 1);
        if (following >= 0 && indent(following) > parent) {
            throw DECLINED; // a scalar going on over lines, or text the full parser must judge
        }
        next = line + 1;
        return value;
    }

    /** The column after the flow collection or scalar read last by {@link #flow}. */
    private int flowEnd;

    /**
     * A flow collection ({@code [a, "b"]}, {@code {k: v}}, nested) or a scalar inside one, on one
     * line, starting at {@code col}; {@link #flowEnd} is set to the column after it.
     */
    private Object flow(int line, int col, int node, int depth) {
        char first = at(line, col);
        if (first == '[' || first == '{') {
            boolean isMap = first == '{';
            char close = isMap ? '}' : ']';
            Map<String, Object> map = isMap ? new LinkedHashMap<>() : null;
            List<Object> list = isMap ? null : new ArrayList<>();
            int c = skipSpaces(line, col + 1);
            if (at(line, c) == close) {
                flowEnd = c + 1;
                return isMap ? map : list;
            }
            while (true) {
                int child;
                String key = null;
                if (isMap) {
                    char k = at(line, c);
                    if (k == '"' || k == '\'') {
                        int end = quotedEnd(line, c);
                        if (end < 0) {
                            throw DECLINED;
                        }
                        key = quoted(line, c);
                        c = end;
                    } else {
                        int end = flowPlainEnd(line, c);
                        int trimmed = end;
                        while (at(line, trimmed - 1) == ' ') {
                            trimmed--;
                        }
                        key = text.substring(starts[line] + c, starts[line] + trimmed);
                        c = end;
                    }
                    c = skipSpaces(line, c);
                    if (at(line, c) != ':' || at(line, c + 1) != ' ' || "<<".equals(key) || map.containsKey(key)) {
                        throw DECLINED; // a key without a value, a merge key, a duplicate
                    }
                    child = lines.field(node, key, line + lineOffset);
                    c = skipSpaces(line, c + 1);
                } else {
                    child = lines.item(node, list.size(), line + lineOffset);
                }
                count(depth + 1);
                char v = at(line, c);
                if (v == ',' || v == close || v == '\n') {
                    throw DECLINED; // an empty value
                }
                Object value = flow(line, c, child, depth + 1);
                c = skipSpaces(line, flowEnd);
                if (isMap) {
                    map.put(key, value);
                } else {
                    if (at(line, c) == ':') {
                        throw DECLINED; // a single-pair mapping inside a sequence
                    }
                    list.add(value);
                }
                if (at(line, c) == close) {
                    flowEnd = c + 1;
                    return isMap ? map : list;
                }
                if (at(line, c) != ',') {
                    throw DECLINED;
                }
                c = skipSpaces(line, c + 1);
                if (at(line, c) == close) {
                    throw DECLINED; // a trailing comma
                }
            }
        }
        if (first == '"' || first == '\'') {
            int end = quotedEnd(line, col);
            if (end < 0) {
                throw DECLINED;
            }
            flowEnd = end;
            return quoted(line, col);
        }
        int end = flowPlainEnd(line, col);
        if (at(line, end) == ':') {
            throw DECLINED; // a key where a value stands
        }
        int trimmed = end;
        while (at(line, trimmed - 1) == ' ') {
            trimmed--;
        }
        flowEnd = end;
        return plain(text.substring(starts[line] + col, starts[line] + trimmed), node);
    }

    /**
     * The end of a plain scalar inside a flow collection: the column of the {@code ,}, closing
     * bracket or {@code ": "} after it. Anything that could make it more than a plain one-line
     * scalar is declined.
     */
    private int flowPlainEnd(int line, int col) {
        char first = at(line, col);
        char second = at(line, col + 1);
        if ("?:".indexOf(first) >= 0 || first == '-' && " ,[]{}\n".indexOf(second) >= 0
                || ",[]{}#&*!|>%@`'\"\n ".indexOf(first) >= 0) {
            throw DECLINED;
        }
        int end = col;
        while (true) {
            char ch = at(line, end);
            if (ch == ',' || ch == ']' || ch == '}') {
                return end;
            }
            if (ch == ':') {
                if (at(line, end + 1) == ' ') {
                    return end;
                }
                throw DECLINED;
            }
            if (ch == '\n' || ch == '[' || ch == '{' || ch == '#') {
                throw DECLINED;
            }
            end++;
        }
    }

    // ---- scalars

    private Object plain(String value, int node) {
        // the JSON schema (the parser's default) types only text starting with one of these, or
        // empty; anything else is a string, and its regular expressions need not be run
        Tag tag = jsonSchema && !value.isEmpty() && "tf-0123456789.n$".indexOf(value.charAt(0)) < 0
                ? Tag.STR : resolver.resolve(value, Boolean.TRUE);
        Object out = tag == Tag.STR ? value : YamlTree.scalar(tag, value, ScalarStyle.PLAIN);
        // the YAML 1.1 words are y, yes, on, n, no, off in three capitalisations
        if (out instanceof String s && !s.isEmpty() && s.length() <= 3 && "yYnNoO".indexOf(s.charAt(0)) >= 0) {
            Boolean word = YamlTree.yaml11Boolean(s);
            if (word != null) {
                yaml11Booleans.put(lines.pathOf(node), word);
            }
        }
        return out;
    }

    /** The column after the closing quote of the one-line quoted scalar at {@code col}; -1 if it has none. */
    private int quotedEnd(int line, int col) {
        return at(line, col) == '"' ? doubleQuotedEnd(line, col) : singleQuotedEnd(line, col);
    }

    /** The text of the one-line quoted scalar at {@code col}, its escapes resolved. */
    private String quoted(int line, int col) {
        return at(line, col) == '"' ? doubleQuoted(line, col) : singleQuoted(line, col);
    }

    /** The column after the closing quote of a one-line double-quoted scalar; -1 if it has none. */
    private int doubleQuotedEnd(int line, int col) {
        int len = length(line);
        for (int c = col + 1; c < len; c++) {
            char ch = at(line, c);
            if (ch == '\\') {
                c++;
            } else if (ch == '"') {
                return c + 1;
            }
        }
        return -1;
    }

    private String doubleQuoted(int line, int col) {
        StringBuilder sb = new StringBuilder();
        for (int c = col + 1; ; c++) {
            char ch = at(line, c);
            if (ch == '"') {
                return sb.toString();
            }
            if (ch != '\\') {
                sb.append(ch);
                continue;
            }
            char e = at(line, ++c);
            switch (e) {
                case '\\', '"', '/' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000B');
                case 'e' -> sb.append('\u001B');
                case 'x', 'u' -> {
                    int digits = e == 'x' ? 2 : 4;
                    int code = 0;
                    for (int k = 1; k <= digits; k++) {
                        int d = Character.digit(at(line, c + k), 16);
                        if (d < 0) {
                            throw DECLINED;
                        }
                        code = code * 16 + d;
                    }
                    if (code >= 0xD800 && code <= 0xDFFF) {
                        throw DECLINED;
                    }
                    sb.append((char) code);
                    c += digits;
                }
                default -> throw DECLINED;
            }
        }
    }

    private int singleQuotedEnd(int line, int col) {
        int len = length(line);
        for (int c = col + 1; c < len; c++) {
            if (at(line, c) == '\'') {
                if (at(line, c + 1) == '\'') {
                    c++;
                } else {
                    return c + 1;
                }
            }
        }
        return -1;
    }

    private String singleQuoted(int line, int col) {
        StringBuilder sb = new StringBuilder();
        for (int c = col + 1; ; c++) {
            char ch = at(line, c);
            if (ch == '\'') {
                if (at(line, c + 1) != '\'') {
                    return sb.toString();
                }
                c++;
            }
            sb.append(ch);
        }
    }

    /** A literal block scalar ({@code |} or {@code |-}) whose indicator is at {@code col}. */
    private String literal(int line, int col, int parent) {
        int c = col + 1;
        boolean strip = false;
        if (at(line, c) == '-') {
            strip = true;
            c++;
        }
        if (at(line, c) != '\n' && at(line, c) != ' ' || !restIsEmpty(line, c)) {
            throw DECLINED; // keep (+), an indentation digit, or text after the indicator
        }
        int contentIndent = -1;
        int i = line + 1;
        for (; i < count; i++) {
            int ind = indent(i);
            if (ind == length(i)) {
                if (contentIndent < 0 ? ind > 0 : ind > contentIndent) {
                    throw DECLINED; // spaces past the indentation on an empty line
                }
                continue;
            }
            if (contentIndent < 0) {
                if (ind <= parent) {
                    break;
                }
                contentIndent = ind;
            } else if (ind < contentIndent) {
                break;
            }
        }
        next = i;
        if (contentIndent < 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int lastContent = -1;
        for (int k = line + 1; k < i; k++) {
            if (indent(k) < length(k)) {
                lastContent = k;
            }
        }
        for (int k = line + 1; k <= lastContent; k++) {
            if (indent(k) < length(k)) {
                sb.append(text, starts[k] + contentIndent, ends[k]);
            }
            if (k < lastContent || !strip) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
