package io.devbox.agent.kinds.files;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named blocks in a text file, between {@code PREFIX BEGIN devbox-agent NAME} and {@code PREFIX END devbox-agent NAME}
 * lines (Ansible's blockinfile markers, one block per name; a null prefix: whatever prefix the block was written with). Pure text work on a {@link FileText} string: lines
 * outside the blocks stay byte for byte. A block whose END is missing, or a name that occurs twice, is a problem the
 * agent does not guess its way around.
 */
final class Blocks {
    static final String MARK = "devbox-agent";

    /** One block found in a file: the lines of its BEGIN and END markers (0-based) and the text between them. */
    record Found(int begin, int end, String body) {
    }

    private Blocks() {
    }

    static String begin(String prefix, String name) {
        return prefix + " BEGIN " + MARK + " " + name;
    }

    static String end(String prefix, String name) {
        return prefix + " END " + MARK + " " + name;
    }

    /** Whether a line looks like a marker of this tool, whatever its prefix or name (refused inside block text). */
    static boolean looksLikeMarker(String line) {
        return line.contains("BEGIN " + MARK) || line.contains("END " + MARK);
    }

    /**
     * The comment prefix the block {@code name} was written with in {@code text} (a block that left the profiles is
     * removed whatever prefix it had then), or empty when there is no such block.
     */
    static Optional<String> prefixOf(String text, String name) {
        String tail = " BEGIN " + MARK + " " + name;
        for (String line : FileText.lines(text)) {
            String s = stripped(line);
            if (s.endsWith(tail)) {
                String prefix = s.substring(0, s.length() - tail.length());
                if (!prefix.isEmpty() && prefix.length() <= 8 && prefix.equals(prefix.strip())) return Optional.of(prefix);
            }
        }
        return Optional.empty();
    }

    /** The blocks of {@code text} written with {@code prefix}; a problem (unterminated, duplicated) as the error. */
    static Map<String, Found> find(String text, String prefix) throws BlockProblem {
        List<String> lines = FileText.lines(text);
        Map<String, Found> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Optional<String> name = markerName(lines.get(i), prefix + " BEGIN " + MARK + " ");
            if (name.isEmpty()) continue;
            String n = name.get();
            if (out.containsKey(n)) throw new BlockProblem("block " + n + " occurs twice (lines " + (out.get(n).begin() + 1)
                    + " and " + (i + 1) + "); remove one by hand");
            int j = i + 1;
            while (j < lines.size() && !stripped(lines.get(j)).equals(end(prefix, n))) j++;
            if (j == lines.size()) throw new BlockProblem("block " + n + " starts on line " + (i + 1) + " but has no '"
                    + end(prefix, n) + "' line; fix it by hand");
            out.put(n, new Found(i, j, FileText.join(lines.subList(i + 1, j))));
            i = j;
        }
        return out;
    }

    /**
     * {@code text} with each block of {@code wanted} set to its body (appended at the end when missing) or removed
     * (a null body).
     */
    static String apply(String text, String prefix, Map<String, String> wanted) throws BlockProblem {
        String out = text;
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            String p = prefix != null ? prefix : prefixOf(out, e.getKey()).orElse(null);
            if (p != null) out = one(out, p, e.getKey(), e.getValue());
        }
        return out;
    }

    private static String one(String text, String prefix, String name, String body) throws BlockProblem {
        Found f = find(text, prefix).get(name);
        List<String> lines = new ArrayList<>(FileText.lines(text));
        if (f == null) {
            if (body == null) return text;
            StringBuilder sb = new StringBuilder(text);
            if (!text.isEmpty() && !text.endsWith("\n")) sb.append('\n');
            sb.append(begin(prefix, name)).append('\n').append(body).append(end(prefix, name)).append('\n');
            return sb.toString();
        }
        List<String> replacement = body == null ? List.of()
                : concat(begin(prefix, name), FileText.lines(body), end(prefix, name));
        // keep the file's own marker lines as they are (a CR, trailing blanks) when only the body changes
        if (body != null) {
            replacement = new ArrayList<>(replacement);
            replacement.set(0, lines.get(f.begin()));
            replacement.set(replacement.size() - 1, lines.get(f.end()));
        }
        List<String> result = new ArrayList<>(lines.subList(0, f.begin()));
        result.addAll(replacement);
        result.addAll(lines.subList(f.end() + 1, lines.size()));
        return FileText.join(result);
    }

    private static List<String> concat(String first, List<String> middle, String last) {
        List<String> l = new ArrayList<>();
        l.add(first + "\n");
        l.addAll(middle);
        l.add(last + "\n");
        return l;
    }

    private static Optional<String> markerName(String line, String head) {
        String s = stripped(line);
        if (!s.startsWith(head)) return Optional.empty();
        String name = s.substring(head.length());
        return FileResource.BLOCK_NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
    }

    /** A line without its line ending and trailing blanks. */
    private static String stripped(String line) {
        return line.stripTrailing();
    }

    /** A block the file has in a shape the agent will not edit. */
    static final class BlockProblem extends Exception {
        BlockProblem(String message) {
            super(message, null, false, false);
        }
    }
}
