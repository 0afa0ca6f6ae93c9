package io.devbox.agent.kinds;

import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.kinds.runner.RunnerLayout;
import io.devbox.agent.kinds.systemd.UnitReconciler;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileFile;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.profile.ValidationCache;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules the kinds' parsers used to repeat and the schema now states (each file's shape, or #/$defs/composedSpec for what
 * several profiles compose): they reach the user as located errors through the profile loader, with the agent's
 * messages, and a bare unit entry is valid everywhere.
 */
class SchemaRulesTest {
    private static final HostIdentity BOX = new HostIdentity("dev-1", Map.of(), "dev", "/home/dev");
    private static final String HEADER = "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: %s}\n";
    private static final String RUNNER = "spec:\n  runner:\n    url: https://github.com/acme/api\n    name: dev-1\n"
            + "    version: \"%s\"\n    sha256: " + "a".repeat(64) + "\n";

    private static List<String> errors(String... profiles) {
        List<ProfileFile> files = new ArrayList<>();
        for (int i = 0; i < profiles.length; i++) {
            String name = "p" + i;
            files.add(new ProfileFile("profiles/" + name + ".yaml", (String.format(HEADER, name) + profiles[i]).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            new ProfileLoader(ValidationCache.NONE, Kinds.schema()).load(files, BOX, RepoFiles.NONE);
            return List.of();
        } catch (ProfileException e) {
            return e.errors().stream().map(ProfileError::render).toList();
        }
    }

    @Test
    void hookReposAreRequiredUnlessGlobal() {
        String hooks = "spec:\n  hooks:\n    hooks: {pre-commit: {content: x}}\n";
        assertThat(errors(hooks)).containsExactly(
                "profiles/p0.yaml:5:3: spec.hooks: hooks.repos is required unless hooks.global is true (in the spec composed from p0)");
        assertThat(errors(hooks + "    global: true\n")).isEmpty();
        assertThat(errors(hooks, "priority: 1\nspec:\n  hooks: {global: true}\n")).as("global from another profile").isEmpty();
    }

    @Test
    void hookNamesAndTheirSourceAreTheSchemas() {
        assertThat(errors("spec:\n  hooks:\n    global: true\n    hooks:\n      pre-comit: {content: x}\n      post-merge: {content: x, file: y}\n"))
                .satisfiesExactly(
                        e -> assertThat(e).startsWith("profiles/p0.yaml:8:7: spec.hooks.hooks.pre-comit: invalid name: does not have a value in the enumeration"),
                        e -> assertThat(e).isEqualTo("profiles/p0.yaml:9:19: spec.hooks.hooks.post-merge: give either content or file, not both"));
    }

    @Test
    void aRunnerTokenWrittenInAProfileIsRefusedWithoutShowingIt() {
        assertThat(errors(String.format(RUNNER, "2.330.0") + "    tokenFile: /etc/t\n    token: ghs_SECRET\n")).singleElement().asString()
                .startsWith("profiles/p0.yaml:11:12: spec.runner.token: a registration token may not be written in a profile")
                .contains("tokenFile", "tokenEnv").doesNotContain("ghs_SECRET");
    }

    @Test
    void theRunnerVersionIsAtLeastTheMinimumGitHubAccepts() {
        String tokenFile = "    tokenFile: /etc/t\n";
        for (String ok : List.of(RunnerLayout.MINIMUM_VERSION, "2.330.0", "2.400.1", "2.1000.0", "3.0.0", "10.2.3")) {
            assertThat(RunnerLayout.compareVersions(ok, RunnerLayout.MINIMUM_VERSION)).isNotNegative();
            assertThat(errors(String.format(RUNNER, ok) + tokenFile)).as(ok).isEmpty();
        }
        for (String old : List.of("2.328.0", "2.328.99", "2.99.0", "1.500.0", "0.1.0")) {
            assertThat(RunnerLayout.compareVersions(old, RunnerLayout.MINIMUM_VERSION)).isNegative();
            assertThat(errors(String.format(RUNNER, old) + tokenFile)).as(old).containsExactly("profiles/p0.yaml:8:14: spec.runner.version: "
                    + "must be a runner version (like 2.330.0, without a 'v') of at least 2.329.0, the oldest runner GitHub still accepts");
        }
        assertThat(errors(String.format(RUNNER, "v2.330.0") + tokenFile)).singleElement().asString().contains("without a 'v'");
    }

    @Test
    void exactlyOneOfTokenFileAndTokenEnv() {
        assertThat(errors(String.format(RUNNER, "2.330.0"))).containsExactly("profiles/p0.yaml:5:3: spec.runner: give tokenFile (a root-only "
                + "file on the box holding the registration token) or tokenEnv (an environment variable of the agent holding it) "
                + "(in the spec composed from p0)");
        assertThat(errors(String.format(RUNNER, "2.330.0") + "    tokenFile: /etc/t\n", "priority: 1\nspec:\n  runner: {tokenEnv: TOKEN}\n"))
                .containsExactly("profiles/p1.yaml:6:11: spec.runner: give either runner.tokenFile or runner.tokenEnv, not both "
                        + "(in the spec composed from p0, p1)");
    }

    @Test
    void aMaskedUnitHasNoContent() {
        assertThat(errors("spec:\n  systemd:\n    units:\n      d.service: {content: \"[Service]\", enabled: masked}\n")).containsExactly(
                "profiles/p0.yaml:7:28: spec.systemd.units.d.service.content: a unit cannot be masked and have content: systemd masks "
                        + "a unit by replacing its file in /etc/systemd/system with a link to /dev/null (in the spec composed from p0)");
    }

    @Test
    void unknownFieldsOfEveryKindAreTheSchemas() {
        assertThat(errors("spec:\n  wsl: {persist: true}\n  ports: [{port: 9000, listenAdress: 0.0.0.0}]\n"
                + "  systemd: {units: {a.service: {colour: red}}, other: 1}\n  cgroups: {b.slice: {disk: {}}}\n  go: {version: [\"1.22.5\"]}\n"))
                .containsExactly(
                        "profiles/p0.yaml:5:9: spec.wsl.persist: unknown field 'persist'",
                        "profiles/p0.yaml:6:24: spec.ports[0].listenAdress: unknown field 'listenAdress'",
                        "profiles/p0.yaml:7:33: spec.systemd.units.a.service.colour: unknown field 'colour'",
                        "profiles/p0.yaml:7:48: spec.systemd.other: unknown field 'other'",
                        "profiles/p0.yaml:8:23: spec.cgroups.b.slice.disk: unknown field 'disk'",
                        "profiles/p0.yaml:9:8: spec.go.version: unknown field 'version'");
    }

    @Test
    void aBareUnitIsADeclaredUnitWhoseFileEnablementAndStateAreLeftAlone() throws Exception {
        String yaml = String.format(HEADER, "p") + "spec:\n  systemd:\n    units:\n      docker.service:\n      cron.service: {}\n";
        ComposedSpec spec = new ProfileLoader(ValidationCache.NONE, Kinds.schema())
                .load(List.of(new ProfileFile("profiles/p.yaml", yaml.getBytes(StandardCharsets.UTF_8))), BOX, RepoFiles.NONE);
        var units = new UnitReconciler().desired(spec.sections().get("systemd"), new DesiredContext(BOX, spec));
        assertThat(units).hasSize(2).allSatisfy(u -> {
            assertThat(u.content()).isNull();
            assertThat(u.dropins()).isEmpty();
            assertThat(u.enabled()).isNull();
            assertThat(u.state()).isNull();
        });
        assertThat(units.get(0).id()).isEqualTo("unit[docker.service]");
    }
}
