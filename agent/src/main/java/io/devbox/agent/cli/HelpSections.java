package io.devbox.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A subcommand's help lists its own options first and the ~20 options every command shares (inherited from
 * {@code agent}) in a section of their own, so that {@code agent plan --help} shows what is particular to planning at
 * a glance. The synopsis names the command's own options and stands {@code [COMMON-OPTIONS]} for the rest.
 * (Classes, not lambdas: a lambda of one of picocli's Java 5 interfaces keeps that interface and its users out of the
 * AppCDS archive; these only run when help is printed.)
 */
final class HelpSections {
    static final String COMMON_OPTIONS = "commonOptions";
    private static final int WIDTH = 80;

    private HelpSections() {
    }

    /** Replaces the synopsis and the option list of {@code spec} by the two-section form. */
    static void install(CommandSpec spec) {
        UsageMessageSpec usage = spec.usageMessage();
        Map<String, CommandLine.IHelpSectionRenderer> sections = usage.sectionMap();
        sections.put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, new Synopsis());
        sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, new OwnOptions());
        sections.put(COMMON_OPTIONS, new CommonOptionsList());
        List<String> keys = new ArrayList<>(usage.sectionKeys());
        if (!keys.contains(COMMON_OPTIONS)) keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, COMMON_OPTIONS);
        usage.sectionKeys(keys);
        usage.optionListHeading("Options:%n");
    }

    /** Options declared by the command itself, plus -h and -V. */
    static List<OptionSpec> own(CommandSpec spec) {
        List<OptionSpec> out = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            if (!o.inherited() || o.usageHelp() || o.versionHelp()) out.add(o);
        }
        return out;
    }

    /** Options every command takes (inherited from {@code agent}), except -h and -V. */
    static List<OptionSpec> common(CommandSpec spec) {
        List<OptionSpec> out = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden() && o.inherited() && !o.usageHelp() && !o.versionHelp()) out.add(o);
        }
        return out;
    }

    static final class OwnOptions implements CommandLine.IHelpSectionRenderer {
        @Override
        public String render(CommandLine.Help help) {
            List<OptionSpec> own = own(help.commandSpec());
            return own.isEmpty() ? "" : help.optionListExcludingGroups(own);
        }
    }

    static final class CommonOptionsList implements CommandLine.IHelpSectionRenderer {
        @Override
        public String render(CommandLine.Help help) {
            List<OptionSpec> common = common(help.commandSpec());
            if (common.isEmpty()) return "";
            return String.format("%nCommon options (every command takes them, before or after its name; see agent --help):%n")
                    + help.optionListExcludingGroups(common);
        }
    }

    /** {@code agent plan [-hV] [--all] [--json] [--only=KIND]... [--out=PLAN] [COMMON-OPTIONS]}, wrapped at 80 columns. */
    static final class Synopsis implements CommandLine.IHelpSectionRenderer {
        @Override
        public String render(CommandLine.Help help) {
            CommandSpec spec = help.commandSpec();
            List<String> words = new ArrayList<>();
            List<OptionSpec> own = own(spec);
            boolean h = own.stream().anyMatch(OptionSpec::usageHelp);
            boolean v = own.stream().anyMatch(OptionSpec::versionHelp);
            if (h || v) words.add("[-" + (h ? "h" : "") + (v ? "V" : "") + "]");
            for (OptionSpec o : own) {
                if (o.usageHelp() || o.versionHelp()) continue;
                String w = o.longestName();
                if (o.arity().max() > 0) {
                    String label = o.paramLabel();
                    w += o.arity().min() == 0 ? "[=" + label + "]" : "=" + label;
                }
                words.add("[" + w + "]" + (o.isMultiValue() ? "..." : ""));
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (p.hidden()) continue;
                String w = p.paramLabel() + (p.isMultiValue() ? "..." : "");
                words.add(p.arity().min() == 0 ? "[" + w + "]" : w);
            }
            if (!common(spec).isEmpty()) words.add("[COMMON-OPTIONS]");
            if (!spec.subcommands().isEmpty()) words.add("[COMMAND]");
            String head = spec.qualifiedName();
            int indent = "Usage: ".length() + head.length() + 1;
            StringBuilder sb = new StringBuilder(head);
            int column = indent - 1;
            for (String w : words) {
                if (column + 1 + w.length() > WIDTH && column > indent) {
                    sb.append('\n').append(" ".repeat(indent - 1));
                    column = indent - 1;
                }
                sb.append(' ').append(w);
                column += 1 + w.length();
            }
            return sb.append('\n').toString();
        }
    }
}
