package io.devbox.agent.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A careful editor for the gitconfig-like INI dialect of {@code /etc/wsl.conf} and {@code .wslconfig}:
 * {@code [section]}, {@code key = value}, case-insensitive names, {@code #} comments (also after a value, outside
 * quotes; {@code ;} is NOT a comment, so {@code command = a; b} keeps both commands), double quotes stripped,
 * backslash escapes ({@code \\ \" \n \t \b}). A duplicate key: the first one wins (see {@link #duplicates()}).
 * {@link #parseGitConfig} reads git's own files, where {@code ;} starts a comment as {@code #} does: a value holding
 * either is written quoted.
 * <p>
 * Editing changes only the value span of the one line that holds the first occurrence of a key, or appends a
 * line; every other line (comments, order, unknown keys, the user's spelling and case) stays byte for byte.
 * Output uses LF line endings (CRLF input is accepted: CRLF in wsl.conf once disabled systemd); a UTF-8 byte
 * order mark (Notepad writes one) is kept.
 */
public final class IniDocument {
    private static final String BOM = "\uFEFF";

    private final boolean bom;
    private final List<Line> lines;
    private final String comments;
    private boolean finalNewline;

    private IniDocument(boolean bom, List<Line> lines, boolean finalNewline, String comments) {
        this.bom = bom;
        this.lines = lines;
        this.finalNewline = finalNewline;
        this.comments = comments;
    }

    public static IniDocument parse(byte[] content) {
        return parse(new String(content, StandardCharsets.UTF_8));
    }

    public static IniDocument parse(String text) {
        return parse(text, WSL_COMMENTS);
    }

    /** A git config file ({@code ~/.gitconfig}): as {@link #parse}, with {@code ;} a comment character too. */
    public static IniDocument parseGitConfig(byte[] content) {
        return parse(new String(content, StandardCharsets.UTF_8), GIT_COMMENTS);
    }

    private static final String WSL_COMMENTS = "#";
    private static final String GIT_COMMENTS = "#;";

    private static IniDocument parse(String text, String comments) {
        boolean bom = text.startsWith(BOM);
        if (bom) text = text.substring(1);
        List<Line> lines = new ArrayList<>();
        boolean finalNewline = text.endsWith("\n");
        if (!text.isEmpty()) {
            String body = finalNewline ? text.substring(0, text.length() - 1) : text;
            String section = null;
            for (String raw : body.split("\n", -1)) {
                if (raw.endsWith("\r")) raw = raw.substring(0, raw.length() - 1);
                Line line = Line.parse(raw, section, comments);
                if (line.kind == Kind.SECTION) section = line.section;
                lines.add(line);
            }
        }
        return new IniDocument(bom, lines, finalNewline, comments);
    }

    /** The effective (first) value of a key, unquoted and unescaped; empty when absent. */
    public Optional<String> get(String section, String key) {
        int i = firstIndex(section, key);
        return i < 0 ? Optional.empty() : Optional.of(lines.get(i).value);
    }

    /** One message per key that occurs more than once in a section: the first occurrence wins. */
    public List<String> duplicates() {
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (l.kind != Kind.ENTRY) continue;
            String id = norm(l.section) + "." + norm(l.key);
            Integer prev = firstLine.putIfAbsent(id, i + 1);
            if (prev != null) {
                out.add("line " + (i + 1) + ": duplicate key " + (l.section == null ? "" : l.section + ".") + l.key
                        + " is ignored; the value on line " + prev + " wins");
            }
        }
        return out;
    }

    /**
     * Makes {@code section.key} have {@code value}: edits the value of the first occurrence in place, or adds
     * {@code key = value} at the end of the section's first block, or a new section at the end of the file.
     * Returns whether the document changed.
     */
    public boolean set(String section, String key, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) throw new IllegalArgumentException("value contains a line break");
        int index = firstIndex(section, key);
        String encoded = encode(value, comments);
        if (index >= 0) {
            Line line = lines.get(index);
            if (line.value.equals(value)) return false;
            int start = line.valueStart;
            String prefix = line.raw.substring(0, start);
            // `key =` with nothing after: keep the user's spacing style around '='
            if (line.valueStart == line.valueEnd && prefix.endsWith("=") && prefix.matches(".*\\s=$")) prefix = prefix + " ";
            String raw = prefix + encoded + line.raw.substring(line.valueEnd);
            lines.set(index, Line.parse(raw, line.section, comments));
            return true;
        }
        String separator = separatorStyle();
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (l.kind == Kind.SECTION && norm(l.section).equals(norm(section))) {
                header = i;
                break;
            }
        }
        if (header >= 0) {
            int insertAt = header + 1;
            for (int i = header + 1; i < lines.size() && lines.get(i).kind != Kind.SECTION; i++) {
                if (lines.get(i).kind == Kind.ENTRY) insertAt = i + 1;
            }
            lines.add(insertAt, Line.parse(key + separator + encoded, lines.get(header).section, comments));
            if (insertAt == lines.size() - 1) finalNewline = true;
            return true;
        }
        if (!lines.isEmpty() && !lines.get(lines.size() - 1).raw.isBlank()) lines.add(Line.parse("", null, comments));
        lines.add(Line.parse("[" + section + "]", null, comments));
        lines.add(Line.parse(key + separator + encoded, section, comments));
        finalNewline = true;
        return true;
    }

    /**
     * Removes the first occurrence of {@code section.key} (the line that holds it); a section header left with nothing
     * but blank lines goes too. Returns whether the document changed.
     */
    public boolean remove(String section, String key) {
        int index = firstIndex(section, key);
        if (index < 0) return false;
        lines.remove(index);
        int header = -1;
        for (int i = index - 1; i >= 0 && header < 0; i--) if (lines.get(i).kind == Kind.SECTION) header = i;
        if (header >= 0) {
            int end = header + 1;
            while (end < lines.size() && lines.get(end).kind != Kind.SECTION && lines.get(end).raw.isBlank()) end++;
            if (end == lines.size() || lines.get(end).kind == Kind.SECTION) {
                lines.subList(header, end).clear();
                // the blank line that separated the removed section from the one before it
                if (header > 0 && header == lines.size() && lines.get(header - 1).raw.isBlank()) lines.remove(header - 1);
            }
        }
        return true;
    }

    /** The document as bytes: LF line endings, the byte order mark kept when there was one. */
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder();
        if (bom) sb.append(BOM);
        for (int i = 0; i < lines.size(); i++) {
            sb.append(lines.get(i).raw);
            if (i < lines.size() - 1 || finalNewline) sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** How a value is written so that {@link #parse} reads it back unchanged. */
    static String encode(String value) {
        return encode(value, WSL_COMMENTS);
    }

    private static String encode(String value, String comments) {
        StringBuilder sb = new StringBuilder();
        // quoted when '#', edge whitespace or a run of whitespace is in it (git-style readers collapse unquoted runs);
        // single inner spaces stay unquoted, as in `command = service docker start`
        boolean quote = value.isEmpty() || value.chars().anyMatch(c -> comments.indexOf(c) >= 0) || Character.isWhitespace(value.charAt(0))
                || Character.isWhitespace(value.charAt(value.length() - 1)) || value.matches("(?s).*\\s\\s.*")
                || value.indexOf('\t') >= 0;
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return quote ? "\"" + sb + "\"" : sb.toString();
    }

    private String separatorStyle() {
        for (Line l : lines) {
            if (l.kind == Kind.ENTRY) {
                String before = l.raw.substring(0, l.raw.indexOf('='));
                return before.endsWith(" ") || before.endsWith("\t") ? " = " : "=";
            }
        }
        return " = ";
    }

    private int firstIndex(String section, String key) {
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (l.kind == Kind.ENTRY && norm(l.section).equals(norm(section)) && norm(l.key).equals(norm(key))) return i;
        }
        return -1;
    }

    private static String norm(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private enum Kind { SECTION, ENTRY, OTHER }

    /** One line; {@code section} is the section an entry belongs to (null before any header). */
    private record Line(String raw, Kind kind, String section, String key, int valueStart, int valueEnd, String value) {

        static Line parse(String raw, String currentSection, String comments) {
            String t = raw.strip();
            if (t.isEmpty() || comments.indexOf(t.charAt(0)) >= 0) return new Line(raw, Kind.OTHER, currentSection, null, 0, 0, null);
            if (t.startsWith("[")) {
                int close = t.indexOf(']');
                if (close < 0) return new Line(raw, Kind.OTHER, currentSection, null, 0, 0, null);
                String rest = t.substring(close + 1).strip();
                if (!rest.isEmpty() && comments.indexOf(rest.charAt(0)) < 0) return new Line(raw, Kind.OTHER, currentSection, null, 0, 0, null);
                return new Line(raw, Kind.SECTION, t.substring(1, close).strip(), null, 0, 0, null);
            }
            int eq = raw.indexOf('=');
            if (eq < 0) return new Line(raw, Kind.OTHER, currentSection, null, 0, 0, null);
            String key = raw.substring(0, eq).strip();
            if (key.isEmpty() || !key.matches("[A-Za-z0-9_.-]+")) return new Line(raw, Kind.OTHER, currentSection, null, 0, 0, null);
            int i = eq + 1;
            while (i < raw.length() && (raw.charAt(i) == ' ' || raw.charAt(i) == '\t')) i++;
            int start = i;
            int end = start;
            int keepLength = 0;
            boolean inQuotes = false;
            StringBuilder out = new StringBuilder();
            while (i < raw.length()) {
                char c = raw.charAt(i);
                if (comments.indexOf(c) >= 0 && !inQuotes) break;
                if (c == '\\' && i + 1 < raw.length()) {
                    char n = raw.charAt(i + 1);
                    switch (n) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'b' -> out.append('\b');
                        case '\\', '"' -> out.append(n);
                        default -> out.append(c).append(n); // lenient: an unknown escape stays as written
                    }
                    i += 2;
                    end = i;
                    keepLength = out.length();
                    continue;
                }
                if (c == '"') {
                    inQuotes = !inQuotes;
                    i++;
                    end = i;
                    keepLength = out.length();
                    continue;
                }
                out.append(c);
                i++;
                if (inQuotes || !(c == ' ' || c == '\t')) {
                    end = i;
                    keepLength = out.length();
                }
            }
            return new Line(raw, Kind.ENTRY, currentSection, key, start, end, out.substring(0, keepLength));
        }
    }
}
