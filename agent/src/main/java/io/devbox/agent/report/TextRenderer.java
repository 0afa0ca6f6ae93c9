package io.devbox.agent.report;

import io.devbox.agent.engine.Change;
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

    String resource(ResourcePlan r) {
        StringBuilder sb = new StringBuilder();
        String symbol;
        String paint;
        String tag = "";
        switch (r.status()) {
            case CHANGE -> {
                Summary.Action a = Summary.Action.of(r);
                symbol = a.symbol();
                paint = a == Summary.Action.ADD ? "32" : a == Summary.Action.REMOVE ? "31" : "33";
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
        String where = esc(r.origin() != null ? r.origin().shortForm() : (r.reason() != null && r.status() != Status.ERROR ? r.reason() : ""));
        sb.append(paint(paint, pad(left, 50) + " " + where).stripTrailing()).append('\n');
        for (Change c : r.changes()) {
            if (r.status() == Status.SKIPPED || r.status() == Status.ERROR) break;
            sb.append("        ").append(pad(esc(c.field()), 11)).append(' ').append(Values.show(c.from())).append(" -> ")
                    .append(Values.show(c.to()));
            if (c.disruptive()) sb.append("   (disruptive)");
            if (r.status() == Status.DRIFT && r.reason() != null) sb.append("   ").append(esc(r.reason()));
            sb.append('\n');
        }
        if ((r.status() == Status.SKIPPED || r.status() == Status.ERROR || r.status() == Status.OVERRIDE) && r.reason() != null) {
            // a reason of several lines (a unit's journal) stays indented under its resource, line by line
            for (String line : r.reason().split("\n", -1)) sb.append("        ").append(esc(line)).append('\n');
        }
        for (String w : r.warnings()) sb.append("        ").append(paint("33", "warning: " + esc(w))).append('\n');
        return sb.toString();
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

    public String applySummary(Summary s, int applied) {
        StringBuilder sb = new StringBuilder("Apply: ");
        sb.append(applied).append(" applied, ").append(s.ok()).append(" ok");
        if (s.override() > 0) sb.append(", ").append(s.override()).append(" overridden");
        if (s.skipped() > 0) sb.append(", ").append(s.skipped()).append(" skipped");
        if (s.pending() > 0) sb.append(", ").append(s.pending()).append(" not applied");
        sb.append(", ").append(s.error() > 0 ? paint("31", s.error() + " failed") : "0 failed");
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
}
