package io.devbox.agent.cli;

import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TreeHash;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line keeps its word, through the real launcher on a {@code --root} sandbox: every input checked before
 * anything runs, one rule for numbers, JSON for every outcome, composition before completeness (and every box a
 * repository can select), the committed tree that differs from the work tree, prunes a forgotten label would cause,
 * status from every run, output as Terraform shows it, help and version, and JGit's files in the state directory.
 */
class CliContractSystemTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HEADER = "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: %s}\n";

    @TempDir
    Path tmp;
    Path root;
    Path repo;
    Path state;

    @BeforeEach
    void box() throws Exception {
        root = tmp.resolve("box");
        Sandboxes.sysctls(root, Map.of("vm.swappiness", "60", "net.core.somaxconn", "4096"));
        Files.createDirectories(root.resolve("etc/sysctl.d"));
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.writeString(Files.createDirectories(root.resolve("etc")).resolve("passwd"), "dev:x:1000:1000::/home/dev:/bin/sh\n");
        repo = GitRepos.init(tmp.resolve("fleet"));
        state = tmp.resolve("state");
    }

    private void commit(String file, String name, String rest) throws Exception {
        GitRepos.commitFile(repo, "profiles/" + file, String.format(HEADER, name) + rest, "profile " + name);
    }

    private static List<String> launcher() {
        SystemTests.agentJar();
        String l = System.getProperty("agent.launcher");
        if (l != null && Files.isExecutable(Path.of(l))) return new ArrayList<>(List.of(l));
        return SystemTests.agentCommand();
    }

    private SystemTests.Result agent(Map<String, String> env, String... args) throws Exception {
        List<String> argv = launcher();
        argv.addAll(List.of(args));
        return SystemTests.run(argv, env, tmp, Duration.ofMinutes(1));
    }

    private SystemTests.Result onBox(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--repo", repo.toString(), "--root", root.toString(), "--state-dir", state.toString(),
                "--hostname", "dev-1", "--user", "dev", "--no-color"));
        return agent(Map.of(), all.toArray(String[]::new));
    }

    private static JsonNode json(SystemTests.Result r) throws Exception {
        assertThat(r.stdout()).as(r.all()).startsWith("{");
        return JSON.readTree(r.stdout());
    }

    private String proc(String key) throws Exception {
        return Files.readString(root.resolve("proc/sys").resolve(key.replace('.', '/'))).strip();
    }

    /**
     * A flight recording to a file (the README's way to profile the real process) is written by a shutdown hook: a
     * command must end through the JVM's exit, not a halt.
     */
    @Test
    void aFlightRecordingOfTheRealProcessIsWrittenAtExit() throws Exception {
        commit("base.yaml", "base", "spec:\n  sysctl: {vm.swappiness: 10}\n");
        Path recording = tmp.resolve("plan.jfr");
        List<String> argv = launcher();
        argv.addAll(List.of("plan", "--repo", repo.toString(), "--root", root.toString(), "--state-dir", state.toString(),
                "--hostname", "dev-1", "--no-color"));

        SystemTests.Result r = SystemTests.run(argv, Map.of("DEVBOX_AGENT_JAVA_OPTS", "-XX:StartFlightRecording=filename=" + recording),
                tmp, Duration.ofMinutes(1));

        assertThat(r.exitCode()).as(r.all()).isEqualTo(0);
        assertThat(r.stdout()).contains("sysctl[vm.swappiness]");
        assertThat(recording).isNotEmptyFile();
    }

    @Test
    void everyValueATypedIsCheckedBeforeAnythingRuns() throws Exception {
        commit("base.yaml", "base", "spec:\n  sysctl: {vm.swappiness: 10}\n");
        String before = TreeHash.of(root);
        Map<List<String>, String> refusals = Map.of(
                List.of("plan", "--only", "sysctls"), "unknown kind 'sysctls': did you mean 'sysctl'?",
                List.of("apply", "--yes", "--only", "sysctl,untis"), "unknown kind 'untis': did you mean 'unit'?",
                List.of("plan", "--label", "team"), "'team' has no value: give the label as KEY=VALUE, e.g. --label team=backend",
                List.of("plan", "--label", "=x"), "'=x': a label needs a name",
                List.of("apply", "--yes", "--label", "bad label=x"), "label name 'bad label' must be 1 to 63",
                List.of("override", "sysctl[vm.swappiness]", "--for", "8x", "--reason", "r"), "'8x' is not a duration",
                List.of("watch", "--once", "--interval", "0s"), "'0s' is shorter than 100ms",
                List.of("watch", "--once", "--metrics-address", "localhost"), "'localhost' is not HOST:PORT");
        for (Map.Entry<List<String>, String> e : refusals.entrySet()) {
            SystemTests.Result r = onBox(e.getKey().toArray(String[]::new));
            assertThat(r.exitCode()).as(e.getKey() + "\n" + r.all()).isEqualTo(1);
            assertThat(r.stderr()).as(e.getKey().toString()).contains(e.getValue()).doesNotContain("Exception");
        }
        assertThat(state).as("nothing ran: not even the state directory exists").doesNotExist();
        assertThat(TreeHash.of(root)).isEqualTo(before);

        // an override must name a resource of the profiles for this box (or one the agent manages)
        SystemTests.Result typo = onBox("override", "sysctl[vm.swapiness]", "--for", "8h", "--reason", "profiling");
        assertThat(typo.exitCode()).isEqualTo(1);
        assertThat(typo.stderr()).contains("no resource sysctl[vm.swapiness]", "did you mean 'sysctl[vm.swappiness]'?");
        assertThat(state.resolve("overrides.json")).doesNotExist();
        assertThat(onBox("override", "sysctl[vm.swappiness]", "--for", "8h", "--reason", "profiling").exitCode()).isZero();
        SystemTests.Result plan = onBox("plan");
        assertThat(plan.stdout()).contains("= sysctl[vm.swappiness]  override");
        SystemTests.Result clearTypo = onBox("override", "--clear", "sysctl[vm.swapiness]");
        assertThat(clearTypo.exitCode()).isEqualTo(1);
        assertThat(clearTypo.stderr()).contains("no active override of sysctl[vm.swapiness]: did you mean 'sysctl[vm.swappiness]'?");
    }

    @Test
    void numbersFollowOneRuleAndKernelValuesAreWrittenCanonically() throws Exception {
        commit("base.yaml", "base", "priority: 5.0\nspec:\n  sysctl:\n    vm.swappiness: 10.0\n    net.core.somaxconn: 1e3\n"
                + "  ports: [{port: 8080.0, targetPort: 8.08e3}]\n");
        assertThat(onBox("validate").exitCode()).isZero();
        SystemTests.Result apply = onBox("apply", "--yes");
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(proc("vm.swappiness")).isEqualTo("10");
        assertThat(proc("net.core.somaxconn")).isEqualTo("1000");
        assertThat(Files.readString(root.resolve("etc/sysctl.d/90-devbox-agent.conf"))).contains("vm.swappiness = 10\n")
                .contains("net.core.somaxconn = 1000\n").doesNotContain("10.0", "1e3");

        commit("base.yaml", "base", "priority: 5.5\nspec:\n  sysctl:\n    vm.swappiness: 0.5\n");
        for (String[] cmd : List.of(new String[]{"validate"}, new String[]{"plan"}, new String[]{"apply", "--yes"})) {
            SystemTests.Result r = onBox(cmd);
            assertThat(r.exitCode()).as(List.of(cmd) + r.all()).isEqualTo(1);
            assertThat(r.stderr()).contains("profiles/base.yaml:4:11: priority: expected integer, got number (5.5 is not a whole number",
                    "profiles/base.yaml:7:20: spec.sysctl.vm.swappiness: expected integer or string, got number (0.5 is not")
                    .doesNotContain("NumberFormatException", "internal error");
        }
        // under watch a refused profile still leaves a run record saying why
        Path bootId = Files.writeString(tmp.resolve("boot_id"), "boot-1\n");
        SystemTests.Result watch = onBox("watch", "--once", "--boot-id-file", bootId.toString());
        assertThat(watch.exitCode()).isEqualTo(1);
        JsonNode last;
        try (Stream<Path> s = Files.list(state.resolve("runs"))) {
            last = JSON.readTree(s.filter(p -> p.getFileName().toString().contains("-watch-")).findFirst().orElseThrow().toFile());
        }
        assertThat(last.path("probed").asBoolean()).isFalse();
        assertThat(last.path("errors").get(0).path("file").asString()).isEqualTo("profiles/base.yaml");
        assertThat(last.path("errors").get(0).path("line").asInt()).isEqualTo(4);
        assertThat(last.path("errors").get(0).path("column").asInt()).isEqualTo(11);
    }

    @Test
    void jsonIsJsonForEveryOutcomeWithTheSameExitCodes() throws Exception {
        commit("base.yaml", "base", "spec:\n  sysctl:\n    vm.swappiness: \"${nope}\"\n    net.core.somaxconn: [1]\n");
        SystemTests.Result invalid = onBox("plan", "--json");
        assertThat(invalid.exitCode()).isEqualTo(1);
        JsonNode doc = json(invalid);
        assertThat(doc.path("formatVersion").asInt()).isEqualTo(1);
        assertThat(doc.path("errors")).hasSize(2);
        assertThat(doc.path("errors").get(0).path("file").asString()).isEqualTo("profiles/base.yaml");
        assertThat(doc.path("errors").get(0).path("line").asInt()).isEqualTo(6);
        assertThat(doc.path("errors").get(0).path("column").asInt()).isEqualTo(21);
        assertThat(doc.path("errors").get(0).path("message").asString()).startsWith("unknown variable ${nope}");
        assertThat(json(onBox("validate", "--json")).path("errors")).hasSize(2);

        SystemTests.Result parse = onBox("plan", "--json", "--bogus");
        assertThat(parse.exitCode()).isEqualTo(1);
        assertThat(json(parse).path("errors").get(0).path("message").asString()).contains("Unknown option: '--bogus'");

        commit("base.yaml", "base", "spec:\n  sysctl: {vm.swappiness: 10}\n");
        String before = TreeHash.of(root);
        SystemTests.Result refused = onBox("apply", "--json");
        assertThat(refused.exitCode()).as("no --yes, no terminal: refused").isEqualTo(1);
        JsonNode r = json(refused);
        assertThat(r.path("resources").get(0).path("status").asString()).isEqualTo("change");
        assertThat(r.path("errors").get(0).path("message").asString()).contains("not applying without confirmation");
        assertThat(TreeHash.of(root)).isEqualTo(before);
        SystemTests.Result ok = onBox("validate", "--json");
        assertThat(ok.exitCode()).isZero();
        assertThat(json(ok).path("valid").asBoolean()).isTrue();
        JsonNode applied = json(onBox("apply", "--yes", "--json"));
        assertThat(applied.path("summary").path("update").asInt()).isEqualTo(1);
        assertThat(applied.path("summary").path("applied").asInt()).isEqualTo(1);
        assertThat(applied.path("startedAt").asString()).as("times to the second").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(json(onBox("apply", "--json")).path("errors")).as("nothing pending: nothing to refuse").isEmpty();
    }

    @Test
    void aProfileMaySetOneFieldAndAllBoxesFindsWhatOnlyOtherBoxesHit() throws Exception {
        commit("base.yaml", "base", "spec:\n  sysctl: {vm.swappiness: 10}\n  runner: {url: \"https://github.com/acme/api\", "
                + "name: \"${hostname}\", version: \"2.330.0\", sha256: \"" + "a".repeat(64) + "\", tokenFile: /etc/token}\n");
        commit("ci.yaml", "ci", "priority: 10\nspec:\n  runner: {labels: [wsl2, go]}\n");
        SystemTests.Result one = onBox("validate");
        assertThat(one.exitCode()).as("a higher priority profile sets one field of the runner\n" + one.all()).isZero();

        commit("db.yaml", "db", "selector: {labels: {team: db}}\nspec:\n  sysctl: {vm.swappiness: 30}\n");
        assertThat(onBox("validate").exitCode()).as("this box (no team label) does not select db").isZero();
        SystemTests.Result all = onBox("validate", "--all-boxes");
        assertThat(all.exitCode()).isEqualTo(1);
        assertThat(all.stderr()).contains("spec.sysctl.vm.swappiness: conflicts with profiles/base.yaml:5", "[for a box with hostname dev-1, labels team=db]");
        JsonNode doc = json(onBox("validate", "--all-boxes", "--json"));
        assertThat(doc.path("valid").asBoolean()).isFalse();
        assertThat(doc.path("boxes")).hasSize(2);
        assertThat(doc.path("errors").get(0).path("box").path("labels").path("team").asString()).isEqualTo("db");

        commit("db.yaml", "db", "selector: {labels: {team: db}}\npriority: 1\nspec:\n  go: {mirror: \"https://mirror.example.com/\"}\n");
        SystemTests.Result missing = onBox("validate", "--all-boxes");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("profiles/db.yaml:7:3: spec.go: missing required field 'versions' (in the spec composed from base, db, ci)");
    }

    @Test
    void aPlanOfTheCommittedTreeSaysThatTheWorkingTreeDiffers() throws Exception {
        commit("base.yaml", "base", "spec:\n  sysctl: {vm.swappiness: ten}\n");
        Files.writeString(repo.resolve("profiles/base.yaml"), String.format(HEADER, "base") + "spec:\n  sysctl: {vm.swappiness: 10}\n");
        SystemTests.Result plan = onBox("plan");
        assertThat(plan.exitCode()).as("the committed tree is what a plan reads").isZero();
        assertThat(plan.stdout()).contains("note: the working tree has uncommitted changes under profiles/ (profiles/base.yaml (modified))",
                "add --worktree");
        commit("base.yaml", "base", "spec:\n  sysctl: {vm.swappiness: [1]}\n");
        Files.writeString(repo.resolve("profiles/base.yaml"), String.format(HEADER, "base") + "spec:\n  sysctl: {vm.swappiness: 10}\n");
        SystemTests.Result fixedOnDisk = onBox("validate");
        assertThat(fixedOnDisk.exitCode()).isEqualTo(1);
        assertThat(fixedOnDisk.stderr()).contains("spec.sysctl.vm.swappiness: expected integer or string, got list",
                "note: the working tree has uncommitted changes under profiles/", "add --worktree");
        assertThat(onBox("validate", "--worktree").exitCode()).isZero();
        assertThat(json(onBox("plan", "--json")).path("notes").get(0).asString()).contains("uncommitted changes");
    }

    @Test
    void aForgottenLabelDoesNotPruneWithoutAllowPrune() throws Exception {
        commit("base.yaml", "base", "spec:\n  sysctl: {vm.swappiness: 10}\n");
        commit("runner.yaml", "runner", "selector: {labels: {ci: runner}}\nspec:\n  systemd:\n    units:\n"
                + "      ci-runner.service: {content: \"[Service]\\nExecStart=/opt/runner/run.sh\\n\"}\n");
        Path unit = root.resolve("etc/systemd/system/ci-runner.service");
        SystemTests.Result first = onBox("apply", "--yes", "--label", "ci=runner");
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(unit).exists();

        SystemTests.Result plan = onBox("plan");
        assertThat(plan.stdout()).contains("  - unit[ci-runner.service]", "labels changed: ci=runner missing",
                "apply refuses it without --allow-prune");
        SystemTests.Result forgot = onBox("apply", "--yes");
        assertThat(forgot.exitCode()).isEqualTo(1);
        assertThat(forgot.stdout()).contains("skipped: prune refused", "1 prune refused: labels changed: ci=runner missing");
        assertThat(unit).as("nothing pruned").exists();
        assertThat(json(onBox("apply", "--yes", "--json")).path("summary").path("remove").asInt()).isZero();

        JsonNode allowed = json(onBox("apply", "--yes", "--allow-prune", "--json"));
        assertThat(allowed.path("summary").path("remove").asInt()).as("the JSON summary counts removals").isEqualTo(1);
        assertThat(allowed.path("errors")).isEmpty();
        assertThat(unit).doesNotExist();
        assertThat(JSON.readTree(state.resolve("identity.json").toFile()).path("labels").size()).isZero();
    }

    @Test
    void statusShowsTheNewestObservationOfEachResourceFromAnyRun() throws Exception {
        commit("base.yaml", "base", "spec:\n  sysctl: {vm.swappiness: 10}\n  systemd:\n    units:\n"
                + "      a.service: {content: \"[Service]\\nExecStart=/bin/true\\n\"}\n");
        assertThat(onBox("apply", "--yes").exitCode()).isZero();
        Files.writeString(root.resolve("proc/sys/vm/swappiness"), "33\n");
        assertThat(onBox("plan").stdout()).contains("! sysctl[vm.swappiness]  drift");
        assertThat(onBox("plan", "--only", "unit").exitCode()).isZero();
        SystemTests.Result status = onBox("status");
        assertThat(status.stdout()).contains("Last run plan").contains("! sysctl[vm.swappiness]  drift");
        JsonNode doc = json(onBox("status", "--json"));
        assertThat(doc.path("drift").get(0).asString()).isEqualTo("sysctl[vm.swappiness]");
        assertThat(doc.path("lastRun").path("summary").path("drift").asInt()).as("the last run saw only units").isZero();
    }

    @Test
    void plansShowWhatIsNewAsPlusAndFilesAsDiffsAndApplyListsEveryResult() throws Exception {
        Sandboxes.sysctls(root, Map.of("vm.swappiness", "10"));
        commit("base.yaml", "base", "spec:\n  sysctl: {vm.swappiness: 10, net.core.somaxconn: 4096}\n  systemd:\n    units:\n"
                + "      a.service: {content: \"[Service]\\nExecStart=/bin/true\\nUser=dev\\n\"}\n");
        SystemTests.Result plan = onBox("plan");
        assertThat(plan.stdout()).contains("  ~ sysctl[vm.swappiness]", "  + unit[a.service]", "            +ExecStart=/bin/true")
                .doesNotContain("  + sysctl[");
        SystemTests.Result apply = onBox("apply", "--yes");
        assertThat(apply.stdout()).contains(String.format("%-50s %s", "  + unit[a.service]", "created"),
                String.format("%-50s %s", "  ~ sysctl[vm.swappiness]", "changed"),
                "Apply: 1 added, 2 changed, 0 removed, 0 unchanged, 0 failed.");
        commit("base.yaml", "base", "spec:\n  sysctl: {vm.swappiness: 10}\n  systemd:\n    units:\n"
                + "      a.service: {content: \"[Service]\\nExecStart=/bin/false\\nUser=dev\\n\"}\n");
        SystemTests.Result diff = onBox("plan");
        assertThat(diff.stdout()).contains("@@ -1,3 +1,3 @@", "             [Service]", "            -ExecStart=/bin/true",
                "            +ExecStart=/bin/false").doesNotContain("sha256 ");
        SystemTests.Result again = onBox("apply", "--yes");
        assertThat(again.stdout()).contains(String.format("%-50s %s", "    sysctl[vm.swappiness]", "unchanged"),
                String.format("%-50s %s", "  - sysctl[net.core.somaxconn]", "removed"));
        JsonNode history = json(onBox("history", "--json"));
        assertThat(history.path("runs").get(0).path("startedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void helpVersionAndSchemaKeepTheirWord() throws Exception {
        SystemTests.Result watchHelp = agent(Map.of(), "watch", "--help");
        assertThat(watchHelp.exitCode()).isZero();
        assertThat(watchHelp.stderr()).as("no picocli format warnings").isEmpty();
        String usage = watchHelp.stdout();
        assertThat(usage.substring(0, usage.indexOf("Common options"))).contains("--interval", "jittered by 10%").doesNotContain("--repo");
        assertThat(usage.substring(usage.indexOf("Common options"))).contains("--repo", "--label");

        SystemTests.Result help = agent(Map.of(), "help", "plan");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).startsWith("Usage: agent plan ");
        assertThat(agent(Map.of(), "help").stdout()).startsWith("Usage: agent ");
        assertThat(agent(Map.of(), "help", "plna").stderr()).contains("unknown command 'plna': did you mean 'plan'?");

        SystemTests.Result schema = agent(Map.of(), "schema", "sysctls");
        assertThat(schema.exitCode()).isEqualTo(1);
        assertThat(schema.stderr()).contains("unknown kind 'sysctls': did you mean 'sysctl'?");
        assertThat(schema.stderr().split("sysctl, cgroups", -1)).as("the kinds listed once, in the order kinds/Kinds registers them").hasSize(2);
        assertThat(agent(Map.of(), "schema", "unit").stdout()).startsWith("spec.systemd:");

        SystemTests.Result version = agent(Map.of(), "version");
        assertThat(version.exitCode()).isZero();
        List<String> lines = version.stdout().lines().toList();
        assertThat(lines.get(0)).matches("devbox-agent \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        Path checkout = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        if (Files.exists(checkout.resolve(".git"))) {
            String head = GitRepos.git(checkout, "rev-parse", "HEAD");
            assertThat(lines.get(1)).as("the commit the jar was built from").startsWith("commit  " + head);
        }
        assertThat(lines.get(2)).startsWith("java    " + Runtime.version().feature());
        assertThat(agent(Map.of(), "--version").stdout()).isEqualTo(version.stdout());
    }

    @Test
    void jgitWritesNothingOutsideTheStateDirAndNoStackTraceWhenItCannot() throws Exception {
        commit("base.yaml", "base", "spec:\n  sysctl: {vm.swappiness: 10}\n");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path xdg = Files.createDirectories(tmp.resolve("xdg"));
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", xdg.toString()));
        List<String> args = List.of("plan", "--repo", repo.toString(), "--root", root.toString(), "--state-dir", state.toString(),
                "--hostname", "dev-1");
        SystemTests.Result plan = agent(env, args.toArray(String[]::new));
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        try (Stream<Path> h = Files.walk(home); Stream<Path> x = Files.walk(xdg)) {
            assertThat(h.count() + x.count()).as("nothing written under the home or the XDG config directory").isEqualTo(2);
        }
        assertThat(state.resolve("git-config")).isDirectory();

        env.put("XDG_CONFIG_HOME", "/dev/null/config");
        env.put("HOME", "/dev/null/home");
        SystemTests.Result unwritable = agent(env, "plan", "--repo", repo.toString(), "--root", root.toString(),
                "--state-dir", tmp.resolve("state2").toString(), "--hostname", "dev-1");
        assertThat(unwritable.exitCode()).as(unwritable.all()).isZero();
        assertThat(unwritable.stderr()).isEmpty();
    }
}
