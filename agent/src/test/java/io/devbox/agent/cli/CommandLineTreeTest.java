package io.devbox.agent.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The command tree is built for the subcommand the arguments name; everything else must behave as with the whole tree. */
@SuppressWarnings("unchecked")
class CommandLineTreeTest {
    private static String name(String... args) {
        return AgentCommand.subcommandName(AgentCommand.commandLine(new String[0]).getCommandSpec(), args);
    }

    @Test
    void findsTheSubcommandPastCommonOptionsAndTheirValues() {
        assertThat(name("plan")).isEqualTo("plan");
        assertThat(name("--repo", "plan", "apply")).isEqualTo("apply"); // "plan" is the value of --repo
        assertThat(name("--repo=x", "--no-color", "drift", "--format", "json")).isEqualTo("drift");
        assertThat(name("--label", "team=a", "--worktree", "validate")).isEqualTo("validate");
        assertThat(name("--no-color")).isNull();
        assertThat(name("--", "plan")).isNull();
        assertThat(name("plna")).isEqualTo("plna");
    }

    @Test
    void onlyTheNamedSubcommandIsBuiltAndHelpAndCompletionGetAll() {
        assertThat(AgentCommand.commandLine(new String[]{"--repo", "x", "plan"}).getSubcommands()).containsOnlyKeys("plan");
        assertThat(AgentCommand.commandLine(new String[]{"--help"}).getSubcommands()).hasSize(16).containsKey("help");
        assertThat(AgentCommand.commandLine(new String[]{"completion", "bash"}).getSubcommands()).hasSize(16);
        assertThat(AgentCommand.commandLine(new String[]{"plna"}).getSubcommands()).hasSize(16);
        assertThat(AgentCommand.commandLine(new String[]{"help", "plan"}).getSubcommands()).hasSize(16);
    }

    @Test
    void commonOptionsParseTheSameBeforeAndAfterTheCommandName() {
        for (List<String> args : List.of(List.of("--repo", "/r", "--label", "k=v", "plan", "--json"),
                List.of("plan", "--repo", "/r", "--json", "--label", "k=v"))) {
            CommandLine cmd = AgentCommand.commandLine(args.toArray(String[]::new));
            CommandLine.ParseResult parsed = cmd.parseArgs(args.toArray(String[]::new));
            AgentCommand root = cmd.getCommand();
            assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("plan");
            assertThat(parsed.subcommand().hasMatchedOption("--json")).isTrue();
            assertThat(root.common.repo).isEqualTo("/r");
            assertThat(root.common.labels).containsEntry("k", "v");
        }
    }

    @Test
    void everySubcommandHasHelpAndPrintsItsOwnUsage() {
        for (String sub : List.of("validate", "plan", "apply", "drift", "status", "watch", "history", "override",
                "report", "fleet", "schema", "version", "completion", "enroll", "leave", "help")) {
            StringWriter out = new StringWriter();
            CommandLine cmd = AgentCommand.commandLine(new String[]{sub, "--help"});
            cmd.setOut(new PrintWriter(out));
            assertThat(cmd.execute(sub, "--help")).as(sub).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).as(sub).startsWith("Usage: agent " + sub + " ");
        }
    }

    @Test
    void everyHelpTextFormatsWithoutPicocliWarningsAndSeparatesTheCommonOptions() {
        for (var e : AgentCommand.commandLine(new String[]{"--help"}).getSubcommands().entrySet()) {
            List<CommandLine> commands = new java.util.ArrayList<>(List.of(e.getValue()));
            commands.addAll(e.getValue().getSubcommands().values());
            for (CommandLine c : commands) {
                List<String> texts = new java.util.ArrayList<>(List.of(c.getCommandSpec().usageMessage().description()));
                c.getCommandSpec().options().forEach(o -> texts.addAll(List.of(o.toBuilder().description())));
                c.getCommandSpec().positionalParameters().forEach(p -> texts.addAll(List.of(p.toBuilder().description())));
                // picocli formats every description as declared with String.format: a lone % makes it warn on stderr
                // ("Could not format ...") and print the text raw
                for (String t : texts) {
                    assertThatCode(() -> String.format(t)).as("%s", c.getCommandSpec().qualifiedName() + ": " + t).doesNotThrowAnyException();
                }
            }
            String usage = e.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(usage).as(e.getKey()).startsWith("Usage: agent " + e.getKey());
            if (e.getKey().equals("watch")) {
                String own = usage.substring(0, usage.indexOf("Common options"));
                assertThat(own).contains("--interval", "jittered by 10%", "--once").doesNotContain("--repo", "--state-dir");
                assertThat(usage.substring(usage.indexOf("Common options"))).contains("--repo", "--state-dir", "--label")
                        .doesNotContain("--once");
                assertThat(usage.substring(0, usage.indexOf("Keep converging"))).contains("--once", "[COMMON-OPTIONS]")
                        .doesNotContain("--repo");
            }
        }
    }

    @Test
    void helpExplainsTheNamedCommandAndRefusesUnknownOnesWithASuggestion() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = AgentCommand.commandLine(new String[]{"help", "history", "show"});
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        assertThat(cmd.execute("help", "history", "show")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).startsWith("Usage: agent history show ");

        StringWriter err2 = new StringWriter();
        CommandLine bad = AgentCommand.commandLine(new String[]{"help", "plna"});
        bad.setErr(new PrintWriter(err2));
        assertThat(bad.execute("help", "plna")).isEqualTo(ExitCodes.ERROR);
        assertThat(err2.toString()).contains("unknown command 'plna': did you mean 'plan'?");
    }

    @Test
    void spellingSuggestsOnlyNearWords() {
        List<String> kinds = List.of("sysctl", "cgroup", "cgroups", "unit", "systemd", "go", "hook", "hooks", "runner");
        assertThat(Spelling.nearest("sysctls", kinds)).contains("sysctl");
        assertThat(Spelling.nearest("sytsctl", kinds)).contains("sysctl");
        assertThat(Spelling.nearest("runer", kinds)).contains("runner");
        assertThat(Spelling.nearest("foo", kinds)).isEmpty();
        assertThat(Spelling.nearest("docker", kinds)).isEmpty();
        assertThat(Spelling.nearest("sysctl[vm.swapiness]", List.of("sysctl[vm.swappiness]", "sysctl[net.core.somaxconn]")))
                .contains("sysctl[vm.swappiness]");
    }

    @Test
    void helpShowsProfileVariablesLiterally() {
        String usage = AgentCommand.commandLine(new String[]{"--help"}).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(usage).contains("${hostname}", "${label.K}", "${user} and ${home}").doesNotContain(" null");
    }

    @Test
    void optionValuesReachTheCommands() {
        CommandLine cmd = AgentCommand.commandLine(new String[]{"plan"});
        cmd.parseArgs("plan", "--only", "sysctl,cgroup", "--only", "unit", "--out", "p.json", "--lock-wait", "9");
        CommandLine plan = cmd.getSubcommands().get("plan");
        assertThat((List<String>) plan.getCommandSpec().findOption("--only").getValue()).containsExactly("sysctl", "cgroup", "unit");
        assertThat(plan.getCommandSpec().findOption("--out").getValue().toString()).isEqualTo("p.json");
        assertThat(((AgentCommand) cmd.getCommand()).common.lockWaitSeconds).isEqualTo(9);
        assertThat(((AgentCommand) cmd.getCommand()).common.root.toString()).isEqualTo("/");

        CommandLine override = AgentCommand.commandLine(new String[]{"override"});
        override.parseArgs("override", "--clear", "--for", "90m");
        CommandLine o = override.getSubcommands().get("override");
        assertThat((String) o.getCommandSpec().findOption("--clear").getValue()).isEmpty();
        assertThat((Object) o.getCommandSpec().findOption("--for").getValue()).isEqualTo(java.time.Duration.ofMinutes(90));

        CommandLine drift = AgentCommand.commandLine(new String[]{"drift"});
        drift.parseArgs("drift");
        assertThat(drift.getSubcommands().get("drift").getCommandSpec().findOption("--format").getValue().toString()).isEqualTo("text");
    }

    @Test
    void badValuesAreUserErrorsNamingTheOption() {
        StringWriter err = new StringWriter();
        CommandLine cmd = AgentCommand.commandLine(new String[]{"drift", "--format", "yaml"});
        cmd.setErr(new PrintWriter(err));
        assertThat(cmd.execute("drift", "--format", "yaml")).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--format").contains("yaml").doesNotContain("Exception");

        StringWriter err2 = new StringWriter();
        CommandLine watch = AgentCommand.commandLine(new String[]{"watch", "--interval", "soon"});
        watch.setErr(new PrintWriter(err2));
        assertThat(watch.execute("watch", "--interval", "soon")).isEqualTo(ExitCodes.ERROR);
        assertThat(err2.toString()).contains("--interval").doesNotContain("Exception");
    }

    @Test
    void nestedSubcommandsInheritTheCommonOptions() {
        CommandLine cmd = AgentCommand.commandLine(new String[]{"history"});
        assertThat(cmd.getSubcommands().get("history").getSubcommands().get("show").getCommandSpec().findOption("--repo")).isNotNull();
        CommandLine report = AgentCommand.commandLine(new String[]{"report"});
        assertThat(report.getSubcommands().get("report").getSubcommands().get("push").getCommandSpec().findOption("--state-dir")).isNotNull();
    }

    private static String refusal(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cmd = AgentCommand.commandLine(args);
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(new StringWriter()));
        assertThat(cmd.execute(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.ERROR);
        return err.toString();
    }

    @Test
    void everyValueATypedIsCheckedBeforeAnythingRuns() {
        assertThat(refusal("plan", "--only", "sysctl,sysctls")).contains("unknown kind 'sysctls': did you mean 'sysctl'?");
        assertThat(refusal("apply", "--only", "untis")).contains("unknown kind 'untis': did you mean 'unit'?");
        assertThat(refusal("plan", "--label", "team")).contains("'team' has no value: give the label as KEY=VALUE, e.g. --label team=backend");
        assertThat(refusal("plan", "--label", "=x")).contains("a label needs a name");
        assertThat(refusal("plan", "--label", "bad label=x")).contains("label name 'bad label' must be 1 to 63");
        assertThat(refusal("plan", "--label", "team=two words")).contains("label value 'two words'");
        assertThat(refusal("override", "sysctl[vm.swappiness]", "--for", "100d", "--reason", "x")).contains("'100d' is longer than 90d");
        assertThat(refusal("override", "sysctl[vm.swappiness]", "--for", "0s", "--reason", "x")).contains("'0s' is shorter than 1s");
        assertThat(refusal("watch", "--interval", "0s")).contains("'0s' is shorter than 100ms");
        assertThat(refusal("watch", "--drift-interval", "soon")).contains("'soon' is not a duration");
        assertThat(refusal("watch", "--metrics-address", "localhost")).contains("'localhost' is not HOST:PORT");
        assertThat(refusal("watch", "--metrics-address", "127.0.0.1:70000")).contains("port 70000 is above 65535");
        assertThat(refusal("plan", "--lock-wait", "-1")).contains("'-1' is not a number of seconds");
        // enroll and leave (issue 16) and fleet take the same checks: labels, durations with their bounds
        assertThat(refusal("enroll", "--repo", "/r", "--label", "bad label=x")).contains("label name 'bad label' must be 1 to 63");
        assertThat(refusal("enroll", "--repo", "/r", "--label", "team")).contains("'team' has no value");
        assertThat(refusal("enroll", "--repo", "/r", "--interval", "0s")).contains("'0s' is shorter than 100ms");
        assertThat(refusal("enroll", "--repo", "/r", "--wait", "0s")).contains("'0s' is shorter than 1s");
        assertThat(refusal("enroll", "--repo", "/r", "--mode", "aply")).contains("--mode").contains("aply");
        assertThat(refusal("leave", "--label", "=x")).contains("a label needs a name");
        assertThat(refusal("fleet", "--stale", "soon")).contains("'soon' is not a duration");
        assertThat(refusal("fleet", "--stale", "0s")).contains("'0s' is shorter than 1s");

        CommandLine ok = AgentCommand.commandLine(new String[]{"plan"});
        ok.parseArgs("plan", "--only", "systemd,cgroups", "--label", "example.com/team=db", "--label", "gpu=");
        assertThat(((AgentCommand) ok.getCommand()).common.labels).containsEntry("example.com/team", "db").containsEntry("gpu", "");
        CommandLine watch = AgentCommand.commandLine(new String[]{"watch"});
        watch.parseArgs("watch", "--metrics-address", "[::1]:9478");
    }

    @Test
    void enrollAndLeaveHelpListTheirOwnOptionsApartFromTheCommonOnes() {
        for (String sub : List.of("enroll", "leave")) {
            String usage = AgentCommand.commandLine(new String[]{sub, "--help"}).getSubcommands().get(sub)
                    .getUsageMessage(CommandLine.Help.Ansi.OFF);
            String own = usage.substring(usage.indexOf("Options:"), usage.indexOf("Common options"));
            String common = usage.substring(usage.indexOf("Common options"));
            assertThat(usage).as(sub).contains("[COMMON-OPTIONS]");
            assertThat(usage.substring(0, usage.indexOf("[COMMON-OPTIONS]"))).as(sub).doesNotContain("--repo");
            assertThat(own).as(sub).doesNotContain("--state-dir", "--lock-wait", "--repo");
            assertThat(common).as(sub).contains("--repo", "--label", "--state-dir").doesNotContain("--prune", "--dry-run");
        }
        String enroll = AgentCommand.commandLine(new String[]{"enroll"}).getSubcommands().get("enroll").getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(enroll.substring(enroll.indexOf("Options:"), enroll.indexOf("Common options"))).contains("--mode", "--interval", "--dry-run", "--force", "--wait");
    }

    @Test
    void theInstalledProgramNamesItselfInParseErrorsAndJsonNamesTheCommand() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = {"history", "show", "--json", "--bogus"};
        CommandLine cmd = AgentCommand.commandLine(args, "devbox-agent");
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        assertThat(cmd.execute(args)).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("Try 'devbox-agent history show --help'.");
        assertThat(out.toString()).contains("\"command\" : \"history show\"");
    }

    @Test
    void aParseErrorWithJsonIsAJsonDocumentOnStdout() {
        StringWriter out = new StringWriter();
        CommandLine cmd = AgentCommand.commandLine(new String[]{"plan", "--json", "--only", "nope"});
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(new StringWriter()));
        assertThat(cmd.execute("plan", "--json", "--only", "nope")).isEqualTo(ExitCodes.ERROR);
        assertThat(out.toString()).startsWith("{").contains("\"formatVersion\" : 1", "\"command\" : \"plan\"",
                "\"file\" : null", "unknown kind 'nope'");
    }
}
