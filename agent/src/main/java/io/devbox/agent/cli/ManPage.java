package io.devbox.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A man(7) page of one command, rendered from its picocli model: the same descriptions `--help` prints, so the two
 * cannot disagree. A subcommand's page lists its own options; the options every command takes are on the top page.
 */
final class ManPage {
    private ManPage() {
    }

    /** The page's name: the command's words joined by '-', e.g. {@code devbox-agent-history-show}. */
    static String name(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    static String render(CommandSpec spec, String version) {
        boolean top = spec.parent() == null;
        StringBuilder m = new StringBuilder();
        String name = name(spec);
        m.append(".TH ").append(roman(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 \"\" \"")
                .append(quoted(spec.root().name() + " " + version)).append("\" \"").append(quoted(spec.root().name()))
                .append(" manual\"\n");
        m.append(".SH NAME\n").append(roman(name)).append(" \\- ").append(roman(firstSentence(spec))).append('\n');

        m.append(".SH SYNOPSIS\n.B ").append(roman(spec.qualifiedName(" "))).append('\n');
        StringBuilder synopsis = new StringBuilder();
        if (!visibleOptions(spec, top).isEmpty()) synopsis.append("[\\fIOPTION\\fR]...");
        if (!spec.subcommands().isEmpty()) synopsis.append(synopsis.length() > 0 ? " " : "").append("\\fICOMMAND\\fR [\\fIOPTION\\fR]...");
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) continue;
            String label = "\\fI" + roman(p.paramLabel()) + "\\fR";
            if (p.arity().max() > 1) label += "...";
            synopsis.append(synopsis.length() > 0 ? " " : "").append(p.arity().min() == 0 ? "[" + label + "]" : label);
        }
        m.append(synopsis).append('\n');

        m.append(".SH DESCRIPTION\n");
        for (String line : spec.usageMessage().description()) paragraph(m, line);
        if (!top) {
            paragraph(m, "The options every command takes (the source, the box, the state directory) go before or after "
                    + "the command name; see " + spec.root().name() + "(1).");
        }

        if (!spec.positionalParameters().isEmpty()) {
            m.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (p.hidden()) continue;
                m.append(".TP\n\\fI").append(roman(p.paramLabel())).append("\\fR\n");
                text(m, p.renderedDescription());
            }
        }

        List<OptionSpec> options = visibleOptions(spec, top);
        if (!options.isEmpty()) {
            m.append(".SH OPTIONS\n");
            for (OptionSpec o : options) {
                m.append(".TP\n");
                List<String> names = new ArrayList<>();
                for (String n : o.names()) names.add("\\fB" + roman(n) + "\\fR");
                m.append(String.join(", ", names));
                if (o.arity().max() > 0) m.append(" \\fI").append(roman(o.paramLabel())).append("\\fR");
                m.append('\n');
                text(m, o.renderedDescription());
            }
        }

        if (!spec.subcommands().isEmpty()) {
            m.append(".SH COMMANDS\n");
            for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
                CommandSpec sub = e.getValue().getCommandSpec();
                if (sub.usageMessage().hidden()) continue;
                m.append(".TP\n.BR ").append(roman(name(sub))).append(" (1)\n").append(roman(firstSentence(sub))).append('\n');
            }
        }

        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0) {
            m.append(".SH NOTES\n");
            for (String line : footer) if (!line.isBlank()) paragraph(m, line);
        }

        m.append(".SH SEE ALSO\n");
        List<String> see = new ArrayList<>();
        if (!top) see.add(".BR " + roman(spec.root().name()) + " (1)");
        if (spec.parent() != null && spec.parent().parent() != null) see.add(".BR " + roman(name(spec.parent())) + " (1)");
        if (top) see.add(".BR systemctl (1)");
        for (int i = 0; i < see.size(); i++) m.append(see.get(i)).append(i < see.size() - 1 ? ",\n" : "\n");
        return m.toString();
    }

    /** The options shown on this page: on the top page all, on a command's page those that are its own. */
    private static List<OptionSpec> visibleOptions(CommandSpec spec, boolean top) {
        List<OptionSpec> out = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden() || (!top && o.inherited())) continue;
            out.add(o);
        }
        return out;
    }

    private static void paragraph(StringBuilder m, String line) {
        m.append(".PP\n");
        text(m, new String[]{line});
    }

    private static void text(StringBuilder m, String[] lines) {
        for (String line : lines) {
            String t = roman(line.strip());
            if (t.isEmpty()) continue;
            m.append(t).append('\n');
        }
    }

    /** The first sentence of the description, for NAME and for the list of commands. */
    private static String firstSentence(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        String first = d.length == 0 ? spec.name() : d[0].strip();
        for (String end : new String[]{". ", ": ", "; "}) {
            int stop = first.indexOf(end);
            if (stop > 0) first = first.substring(0, stop);
        }
        if (first.endsWith(".")) first = first.substring(0, first.length() - 1);
        boolean word = first.length() > 1 && Character.isUpperCase(first.charAt(0)) && Character.isLowerCase(first.charAt(1));
        return word ? Character.toLowerCase(first.charAt(0)) + first.substring(1) : first;
    }

    /**
     * Text as groff reads it literally: backslashes escaped, hyphens as minus signs (options are typed), a line
     * that would start with a control character protected, backquoted code set in bold.
     */
    static String roman(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        boolean code = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\e");
                case '-' -> sb.append("\\-");
                case '`' -> {
                    sb.append(code ? "\\fR" : "\\fB");
                    code = !code;
                }
                case '\n', '\r' -> sb.append(' ');
                default -> sb.append(c);
            }
        }
        if (code) sb.append("\\fR");
        String out = sb.toString();
        return out.startsWith(".") || out.startsWith("'") ? "\\&" + out : out;
    }

    private static String quoted(String s) {
        return roman(s).replace("\"", "\\(dq");
    }
}
