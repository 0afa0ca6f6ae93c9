package io.devbox.agent.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(AgentCommand.commandLine(new String[]{"--help"}).getSubcommands()).hasSize(15);
        assertThat(AgentCommand.commandLine(new String[]{"completion", "bash"}).getSubcommands()).hasSize(15);
        assertThat(AgentCommand.commandLine(new String[]{"plna"}).getSubcommands()).hasSize(15);
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
                "report", "fleet", "schema", "version", "completion", "enroll", "leave")) {
            StringWriter out = new StringWriter();
            CommandLine cmd = AgentCommand.commandLine(new String[]{sub, "--help"});
            cmd.setOut(new PrintWriter(out));
            assertThat(cmd.execute(sub, "--help")).as(sub).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).as(sub).startsWith("Usage: agent " + sub + " ");
        }
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
}
