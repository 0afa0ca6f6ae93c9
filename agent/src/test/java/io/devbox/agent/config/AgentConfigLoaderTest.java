package io.devbox.agent.config;

import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.run.AgentOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigLoaderTest {
    @TempDir
    Path tmp;

    private AgentConfig parse(String yaml) throws ConfigException {
        return AgentConfigLoader.parse(Path.of("agent.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEverySetting() throws Exception {
        AgentConfig c = parse("""
                # the team's fleet
                repo: ssh://git@git.example.com/acme/fleet.git
                ref: main
                path: boxes
                interval: 2m
                driftInterval: 10m
                mode: report
                verify: {commits: true, allowedSigners: /etc/devbox-agent/allowed_signers, requireFastForward: true}
                labels: {team: backend, tier: 2}
                hostname: dev-42
                user: dev
                stateDir: /var/lib/devbox-agent
                history: {keep: 100, maxAge: 7d}
                metrics: {textfile: /var/lib/node_exporter/devbox.prom, address: "127.0.0.1:9478"}
                """);
        assertThat(c.repo()).isEqualTo("ssh://git@git.example.com/acme/fleet.git");
        assertThat(c.interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.driftInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.mode()).isEqualTo("report");
        assertThat(c.verify()).isEqualTo(new AgentConfig.Verify(true, Path.of("/etc/devbox-agent/allowed_signers"), null, true));
        assertThat(c.labels()).isEqualTo(Map.of("team", "backend", "tier", "2"));
        assertThat(c.retention().keep()).isEqualTo(100);
        assertThat(c.retention().maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(c.metrics().address()).isEqualTo("127.0.0.1:9478");
    }

    @Test
    void downloadLimitsHaveDefaultsAndMustBePositive() throws Exception {
        assertThat(parse("repo: /srv/fleet\n").downloadLimits()).isEqualTo(io.devbox.agent.host.Downloader.Limits.DEFAULT);
        AgentConfig c = parse("download: {deadline: 10m, rateWindow: 30s, minBytesPerWindow: 4096}\n");
        assertThat(c.downloadLimits()).isEqualTo(new io.devbox.agent.host.Downloader.Limits(Duration.ofMinutes(10),
                Duration.ofSeconds(30), 4096));
        assertThat(parse("download: {rateWindow: 5s}\n").downloadLimits().deadline()).isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> parse("download:\n  deadline: 0s\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("agent.yaml:2:13: download.deadline: must be longer than 0");
        assertThatThrownBy(() -> parse("download: {minBytesPerWindow: 0}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("download.minBytesPerWindow");
        assertThatThrownBy(() -> parse("download: {speed: 1}\n")).hasMessageContaining("unknown setting 'speed'");
    }

    @Test
    void readsWhenTheDaemonPublishesItsReport() throws Exception {
        assertThat(parse("repo: /srv/fleet\n").report()).isEqualTo(ReportPush.NEVER);
        ReportPush onChange = parse("report: {push: on-change, heartbeat: 30m}\n").report();
        assertThat(onChange.mode()).isEqualTo(ReportPush.Mode.ON_CHANGE);
        assertThat(onChange.heartbeat()).isEqualTo(Duration.ofMinutes(30));
        assertThat(parse("report: {push: on-change}\n").report().heartbeat()).isEqualTo(Duration.ofHours(1));
        ReportPush every = parse("report: {push: every 1h30m}\n").report();
        assertThat(every.mode()).isEqualTo(ReportPush.Mode.EVERY);
        assertThat(every.every()).isEqualTo(Duration.ofMinutes(90));
        assertThat(parse("report: {push: never}\n").report().mode()).isEqualTo(ReportPush.Mode.NEVER);
    }

    @Test
    void refusesAReportPushItCannotSchedule() {
        assertThatThrownBy(() -> parse("repo: x\nreport:\n  push: sometimes\n")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.errors().get(0).render()).startsWith("agent.yaml:3:9: ")
                        .contains("must be on-change, never or every D"));
        assertThatThrownBy(() -> parse("report:\n  push: every 0s\n")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.errors().get(0).render()).startsWith("agent.yaml:2:9: ").contains("positive"));
        assertThatThrownBy(() -> parse("report: {push: on-change, heartbeat: soon}\n")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> parse("report: {push: on-change, pull: yes}\n")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.errors().get(0).render()).contains("unknown setting 'pull'"));
    }

    @Test
    void commandLineOptionsWinAndLabelsMerge() throws Exception {
        AgentConfig c = parse("repo: /srv/fleet\nref: main\nhostname: from-config\nlabels: {team: backend, site: ber}\nstateDir: /var/lib/x\n");
        AgentOptions cli = new AgentOptions(null, "feature", null, false, Path.of("/"), null, null, null, "from-cli",
                Map.of("team", "frontend"), null, Duration.ofSeconds(5), tmp);
        AgentOptions o = c.overlay(cli);
        assertThat(o.repo()).isEqualTo("/srv/fleet");
        assertThat(o.ref()).isEqualTo("feature");
        assertThat(o.hostname()).isEqualTo("from-cli");
        assertThat(o.stateDir()).isEqualTo(Path.of("/var/lib/x"));
        assertThat(o.path()).isNull();
        assertThat(o.labels()).isEqualTo(Map.of("team", "frontend", "site", "ber"));
    }

    @Test
    void errorsArePointedAtTheOffendingKeyOrValue() {
        assertThatThrownBy(() -> parse("""
                repo: /srv/fleet
                interval: 10 minutes
                mode: fast
                metrics:
                  adress: 127.0.0.1:9
                history: {keep: 0}
                """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ProfileError::render)
                .containsExactly(
                        "agent.yaml:2:11: interval: must be a duration like 90s, 30m, 8h, 2d or 1h30m",
                        "agent.yaml:3:7: mode: must be one of [\"apply\",\"report\"]; got \"fast\"",
                        "agent.yaml:5:3: metrics.adress: unknown setting 'adress' (allowed: textfile, address, allowRemote)",
                        "agent.yaml:6:17: history.keep: must be at least 1, got 0"));
    }

    @Test
    void yamlSyntaxAndDuplicateKeysAreLocatedToo() {
        assertThatThrownBy(() -> parse("repo: a\nrepo: b\n")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.errors().get(0).render()).startsWith("agent.yaml:2:1: ").contains("repo"));
        assertThatThrownBy(() -> parse("repo: [x\n")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.errors().get(0).render()).startsWith("agent.yaml:").contains("YAML"));
        assertThatThrownBy(() -> parse("- a\n- b\n")).isInstanceOf(ConfigException.class).hasMessageContaining("mapping");
    }

    @Test
    void theDefaultFileIsOptionalAnExplicitOneIsNot() throws IOException {
        assertThat(AgentConfigLoader.load(null, tmp.resolve("absent.yaml"))).isSameAs(AgentConfig.NONE);
        assertThatThrownBy(() -> AgentConfigLoader.load(tmp.resolve("absent.yaml"), tmp.resolve("x")))
                .hasMessageContaining("no such file");
        Path f = Files.writeString(tmp.resolve("agent.yaml"), "# all defaults\n");
        assertThat(AgentConfigLoader.load(f, null).repo()).isNull();
    }
}
