package io.devbox.agent.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command tree is built for the subcommand the arguments name; everything else must behave as with the whole tree. */
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
        assertThat(AgentCommand.commandLine(new String[]{"--help"}).getSubcommands()).hasSize(13);
        assertThat(AgentCommand.commandLine(new String[]{"completion", "bash"}).getSubcommands()).hasSize(13);
        assertThat(AgentCommand.commandLine(new String[]{"plna"}).getSubcommands()).hasSize(13);
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
                "report", "fleet", "schema", "version", "completion")) {
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
}
