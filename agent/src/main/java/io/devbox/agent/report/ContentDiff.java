package io.devbox.agent.report;

import io.devbox.agent.engine.Change;
import io.devbox.agent.host.Redactor;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.HistogramDiff;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The unified diff of a file-like change ({@link Change#content()}): hunks with three lines of context, as
 * {@code git diff} prints them (JGit's histogram diff), every line passed through the redactor (a credential in a
 * unit file shows masked), cut after a number of lines with a count of the rest.
 */
public final class ContentDiff {
    private static final int CONTEXT = 3;

    private ContentDiff() {
    }

    /**
     * The diff's lines ({@code @@ -1,3 +1,4 @@}, {@code " a"}, {@code "-b"}, {@code "+c"}), at most {@code maxLines} and
     * a last one counting the rest; a change only to the final newline shows as one line saying so.
     */
    public static List<String> lines(Change.Content content, int maxLines) {
        String before = content.before() == null ? "" : content.before();
        String after = content.after() == null ? "" : content.after();
        if (!before.equals(after) && sameLines(before, after)) return List.of("(only the line ends or the final newline differ)");
        List<String> all = unified(before, after);
        List<String> out = new ArrayList<>(Math.min(all.size(), maxLines + 1));
        for (String line : all) {
            if (out.size() == maxLines) {
                int rest = all.size() - maxLines;
                out.add("... " + rest + " more line" + (rest == 1 ? "" : "s") + " of diff");
                break;
            }
            out.add(Redactor.redact(line));
        }
        return out;
    }

    private static boolean sameLines(String a, String b) {
        return trimEnd(a.replace("\r\n", "\n")).equals(trimEnd(b.replace("\r\n", "\n")));
    }

    private static String trimEnd(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    static List<String> unified(String before, String after) {
        RawText a = new RawText(before.getBytes(StandardCharsets.UTF_8));
        RawText b = new RawText(after.getBytes(StandardCharsets.UTF_8));
        EditList edits = new HistogramDiff().diff(RawTextComparator.DEFAULT, a, b);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < edits.size()) {
            // one hunk: the edits whose context windows touch
            int j = i;
            while (j + 1 < edits.size() && edits.get(j + 1).getBeginA() - edits.get(j).getEndA() <= 2 * CONTEXT) j++;
            Edit first = edits.get(i);
            Edit last = edits.get(j);
            int aStart = Math.max(0, first.getBeginA() - CONTEXT);
            int bStart = Math.max(0, first.getBeginB() - CONTEXT);
            int aEnd = Math.min(a.size(), last.getEndA() + CONTEXT);
            int bEnd = Math.min(b.size(), last.getEndB() + CONTEXT);
            out.add("@@ -" + range(aStart, aEnd - aStart) + " +" + range(bStart, bEnd - bStart) + " @@");
            int ai = aStart;
            for (int k = i; k <= j; k++) {
                Edit e = edits.get(k);
                for (; ai < e.getBeginA(); ai++) out.add(" " + a.getString(ai));
                for (int x = e.getBeginA(); x < e.getEndA(); x++) out.add("-" + a.getString(x));
                for (int x = e.getBeginB(); x < e.getEndB(); x++) out.add("+" + b.getString(x));
                ai = e.getEndA();
            }
            for (; ai < aEnd; ai++) out.add(" " + a.getString(ai));
            i = j + 1;
        }
        return out;
    }

    private static String range(int start, int length) {
        // unified diff: a hunk of length 0 names the line before it; lines count from 1
        if (length == 0) return start + ",0";
        return (start + 1) + (length == 1 ? "" : "," + length);
    }
}
