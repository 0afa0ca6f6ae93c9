package io.devbox.agent.report;

import io.devbox.agent.engine.Action;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Prune;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.engine.Summary;

import io.devbox.agent.host.Printable;

import java.util.ArrayList;
import java.util.List;

/**
 * Human output in the style of {@code terraform plan}; colors only when asked (a terminal, no NO_COLOR). Every value
 * (ids, paths, reasons, from/to, source and host names) passes {@link Printable}: the only control sequences in this
 * output are the colors it paints itself.
 */
public final class TextRenderer {
    private final boolean color;

    public TextRenderer(boolean color) {
        this.color = color;
    }

    public String header(RunInfo run) {
        StringBuilder sb = new StringBuilder();
        RunInfo.SourceInfo s = run.source();
        if (s != null) {
            sb.append("Source  ").append(esc(s.repo()));
            if (s.ref() != null) sb.append("  ").append(esc(s.ref()));
            sb.append(" @ ").append(s.commit() == null ? "working tree" : esc(s.commit().substring(0, Math.min(7, s.commit().length()))));
            if (s.signature() != null) sb.append("  signed by ").append(esc(s.signature()));
            sb.append('\n');
            if (s.error() != null) sb.append("        ").append(paint("31", "source: " + esc(s.error()))).append('\n');
            if (s.badCommit() != null) {
                for (String e : s.badCommitErrors()) {
                    sb.append("        ").append("refused commit ").append(esc(s.badCommit().substring(0, Math.min(7, s.badCommit().length()))))
                            .append(": ").append(esc(e)).append('\n');
                }
            }
            for (String n : s.notes()) sb.append("        ").append(paint("33", "note: " + esc(n))).append('\n');
        }
        var h = run.host();
        List<String> traits = new ArrayList<>();
        traits.add(h.wsl() ? "WSL2" : "Linux");
        traits.add(h.systemd() ? "systemd" : "no systemd");
        sb.append("Host    ").append(esc(h.hostname())).append("  ").append(String.join(", ", traits));
        sb.append("    profiles: ").append(run.profiles().isEmpty() ? "(none match)" : esc(String.join(", ", run.profiles())));
        sb.append("\n\n");
        return sb.toString();
    }

    /** The resources worth showing: everything but {@code ok}, unless {@code all}. */
    public String resources(List<ResourcePlan> resources, boolean all) {
        StringBuilder sb = new StringBuilder();
        for (ResourcePlan r : resources) {
            if (r.status() == Status.OK && !all && r.warnings().isEmpty()) continue;
            sb.append(resource(r));
        }
        return sb.toString();
    }

    /** Lines of a content diff the text plan shows per file-like change; the run record keeps more. */
    static final int DIFF_LINES = 40;

    String resource(ResourcePlan r) {
        StringBuilder sb = new StringBuilder();
        String symbol;
        String paint;
        String tag = "";
        switch (r.status()) {
            case CHANGE -> {
                Action a = r.action() == null ? Action.CHANGE : r.action();
                symbol = a.symbol();
                paint = colourOf(a);
            }
            case DRIFT -> {
                symbol = "!";
                paint = "35";
                tag = "  drift";
            }
            case ERROR -> {
                symbol = "x";
                paint = "31";
                tag = "  error";
            }
            case OVERRIDE -> {
                symbol = "=";
                paint = "36";
                tag = "  override";
            }
            case SKIPPED -> {
                symbol = " ";
                paint = "2";
                tag = "  skipped";
            }
            default -> {
                symbol = " ";
                paint = "0";
            }
        }
        String left = "  " + symbol + " " + esc(r.id()) + tag;
        if (!r.dependsOn().isEmpty()) left += "  #" + r.position() + " after " + esc(String.join(", ", r.dependsOn()));
        boolean selectorPrune = r.prune() == Prune.SELECTOR;
        String where = esc(r.origin() != null ? r.origin().shortForm()
                : (r.reason() != null && r.status() != Status.ERROR && !selectorPrune ? r.reason() : ""));
        sb.append(paint(paint, pad(left, 50) + " " + where).stripTrailing()).append('\n');
        if (selectorPrune && r.reason() != null && r.status() != Status.SKIPPED) {
            sb.append("        ").append(paint("31", esc(r.reason()))).append('\n');
        }
        for (Change c : r.changes()) {
            if (r.status() == Status.SKIPPED || r.status() == Status.ERROR) break;
            sb.append("        ").append(pad(esc(c.field()), 11)).append(' ').append(shownFrom(c)).append(" -> ").append(shownTo(c));
            if (c.disruptive()) sb.append("   (disruptive)");
            if (r.status() == Status.DRIFT && r.reason() != null) sb.append("   ").append(esc(r.reason()));
            sb.append('\n');
            if (c.content() != null) diff(sb, c);
        }
        if ((r.status() == Status.SKIPPED || r.status() == Status.ERROR || r.status() == Status.OVERRIDE) && r.reason() != null) {
            // a reason of several lines (a unit's journal) stays indented under its resource, line by line
            for (String line : r.reason().split("\n", -1)) sb.append("        ").append(esc(line)).append('\n');
        }
        for (String w : r.warnings()) sb.append("        ").append(paint("33", "warning: " + esc(w))).append('\n');
        return sb.toString();
    }

    /** A file's size in lines when its diff follows (the digests a kind compares by say nothing to a person). */
    private static String shownFrom(Change c) {
        return c.content() == null || c.content().before() == null ? Values.show(c.from()) : lines(c.content().before());
    }

    private static String shownTo(Change c) {
        return c.content() == null || c.content().after() == null ? Values.show(c.to()) : lines(c.content().after());
    }

    private static String lines(String text) {
        long n = text.lines().count();
        return n + (n == 1 ? " line" : " lines");
    }

    private void diff(StringBuilder sb, Change c) {
        for (String line : ContentDiff.lines(c.content(), DIFF_LINES)) {
            String code = line.startsWith("+") ? "32" : line.startsWith("-") ? "31" : line.startsWith("@@") ? "36" : "0";
            sb.append("            ").append(paint(code, esc(line))).append('\n');
        }
    }

    public String planSummary(Summary s) {
        StringBuilder sb = new StringBuilder("Plan: ");
        sb.append(s.add()).append(" to add, ").append(s.change()).append(" to change, ").append(s.remove()).append(" to remove");
        if (s.drift() > 0) sb.append(" (").append(s.drift()).append(" of them drift)");
        sb.append(", ").append(s.ok()).append(" unchanged");
        if (s.override() > 0) sb.append(", ").append(s.override()).append(" overridden");
        if (s.skipped() > 0) sb.append(", ").append(s.skipped()).append(" skipped");
        if (s.error() > 0) sb.append(", ").append(paint("31", s.error() + (s.error() == 1 ? " error" : " errors")));
        return sb.append(".\n").toString();
    }

    /**
     * Every resource of an apply with what became of it, as {@code terraform apply} lists them: created, changed,
     * removed, unchanged, overridden, skipped (with why), failed (with why), not applied.
     */
    public String applyResults(List<ResourcePlan> resources) {
        StringBuilder sb = new StringBuilder();
        for (ResourcePlan r : resources) {
            String symbol;
            String paint;
            String result;
            if (r.applied()) {
                Action a = r.action() == null ? Action.CHANGE : r.action();
                symbol = a.symbol();
                paint = colourOf(a);
                result = a.done();
            } else {
                switch (r.status()) {
                    case OK -> {
                        symbol = " ";
                        paint = "0";
                        result = "unchanged";
                    }
                    case OVERRIDE -> {
                        symbol = "=";
                        paint = "36";
                        result = "overridden: " + esc(r.reason());
                    }
                    case SKIPPED -> {
                        symbol = " ";
                        paint = "2";
                        result = "skipped: " + esc(r.reason());
                    }
                    case ERROR -> {
                        symbol = "x";
                        paint = "31";
                        result = "failed: " + esc(r.reason());
                    }
                    default -> {
                        symbol = r.status() == Status.DRIFT ? "!" : r.action() == null ? "~" : r.action().symbol();
                        paint = "33";
                        result = "not applied";
                    }
                }
            }
            sb.append(paint(paint, pad("  " + symbol + " " + esc(r.id()), 50) + " " + result).stripTrailing()).append('\n');
            if (r.applied()) {
                for (Change c : r.changes()) {
                    sb.append("        ").append(pad(esc(c.field()), 11)).append(' ').append(shownFrom(c)).append(" -> ")
                            .append(shownTo(c)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** {@code Apply: 1 added, 2 changed, 0 removed, 14 unchanged, 1 skipped, 0 failed.} of what an apply did. */
    public String applySummary(List<ResourcePlan> resources) {
        int added = 0, changed = 0, removed = 0, unchanged = 0, overridden = 0, skipped = 0, notApplied = 0, failed = 0;
        for (ResourcePlan r : resources) {
            if (r.applied()) {
                switch (r.action() == null ? Action.CHANGE : r.action()) {
                    case ADD -> added++;
                    case REMOVE -> removed++;
                    case CHANGE -> changed++;
                }
                continue;
            }
            switch (r.status()) {
                case OK -> unchanged++;
                case OVERRIDE -> overridden++;
                case SKIPPED -> skipped++;
                case ERROR -> failed++;
                case CHANGE, DRIFT -> notApplied++;
            }
        }
        StringBuilder sb = new StringBuilder("Apply: ");
        sb.append(added).append(" added, ").append(changed).append(" changed, ").append(removed).append(" removed, ")
                .append(unchanged).append(" unchanged");
        if (overridden > 0) sb.append(", ").append(overridden).append(" overridden");
        if (skipped > 0) sb.append(", ").append(skipped).append(" skipped");
        if (notApplied > 0) sb.append(", ").append(notApplied).append(" not applied");
        sb.append(", ").append(failed > 0 ? paint("31", failed + " failed") : "0 failed");
        return sb.append(".\n").toString();
    }

    private String paint(String code, String text) {
        return color && !"0".equals(code) ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }

    private static String esc(String s) {
        return Printable.escape(s);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** The colour of an action's symbol: green adds, red removes, yellow changes. */
    private static String colourOf(Action a) {
        return a == Action.ADD ? "32" : a == Action.REMOVE ? "31" : "33";
    }
}
