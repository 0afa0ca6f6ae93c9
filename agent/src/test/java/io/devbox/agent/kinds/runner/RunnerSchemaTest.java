package io.devbox.agent.kinds.runner;

import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileFile;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.profile.ValidationCache;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner section against the real profile schema, the example profile, and the kind's registration. */
class RunnerSchemaTest {
    static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final String SHA = "af5c33fa94f3cc33b8e97937939136a6b04197e6dadfcfb3b6e33ae1bf41e79a";

    private static List<String> errors(String runnerBody) {
        String yaml = "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: t}\nspec:\n  runner:\n" + runnerBody.indent(4);
        try {
            new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).parse(List.of(new ProfileFile("profiles/t.yaml", yaml.getBytes())));
            return List.of();
        } catch (ProfileException e) {
            return e.errors().stream().map(ProfileError::render).toList();
        }
    }

    private static String valid() {
        return "url: https://github.com/acme/api\nname: \"${hostname}\"\nlabels: [wsl2, go]\nversion: \"2.330.0\"\nsha256: " + SHA
                + "\ntokenFile: /etc/devbox-agent/runner-token\n";
    }

    @Test
    void aValidSectionPasses() {
        assertThat(errors(valid())).isEmpty();
        assertThat(errors(valid().replace("tokenFile: /etc/devbox-agent/runner-token", "tokenEnv: RUNNER_TOKEN"))).isEmpty();
    }

    @Test
    void anInlineTokenIsALocatedSchemaErrorThatExplainsTokenFileAndTokenEnv() {
        for (String key : List.of("token", "registrationToken", "TOKEN", "pat")) {
            List<String> errs = errors(valid() + key + ": AZQ3SECRETVALUE\n");
            assertThat(errs).as(key).singleElement().asString()
                    .startsWith("profiles/t.yaml:12:")
                    .contains("a registration token may not be written in a profile (secrets never live in git)", "tokenFile", "tokenEnv")
                    .doesNotContain("AZQ3SECRETVALUE");
        }
    }

    @Test
    void shapesTheSchemaChecks() {
        assertThat(errors(valid().replace("2.330.0", "v2.330.0"))).singleElement().asString().startsWith("profiles/t.yaml:9:");
        assertThat(errors(valid().replace(SHA, "abc"))).singleElement().asString().contains("runner.sha256");
        assertThat(errors(valid() + "installdir: /x\n")).singleElement().asString().contains("unknown field 'installdir'");
    }

    @Test
    void theSchemaDescribesTheTokenFieldsContentsAsSecret() throws Exception {
        String schema = Files.readString(REPO.resolve("schema/profile.schema.json"));
        assertThat(schema).contains("\"$ref\" : \"#/$defs/runner\"", "its CONTENTS are a secret");
    }

    @Test
    void theExampleProfileValidatesAndPlansTwoResources() throws Exception {
        byte[] example = Files.readAllBytes(REPO.resolve("profiles/ci-runner.yaml"));
        ComposedSpec spec = new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema()).load(List.of(new ProfileFile("profiles/ci-runner.yaml", example)),
                new HostIdentity("dev-42", Map.of("team", "backend", "ci", "runner"), "dev", "/home/dev"), RepoFiles.NONE);
        RunnerReconciler r = new RunnerReconciler();
        List<RunnerResource> res = r.desired(spec.sections().get("runner"),
                new DesiredContext(new HostIdentity("dev-42", Map.of(), "dev", "/home/dev"), spec, null));
        assertThat(res).extracting(RunnerResource::id)
                .containsExactly("runner[dev-42]", "unit[actions.runner.acme-api.dev-42.service]");
        RunnerSpec s = ((RunnerResource.Runner) res.get(0)).spec();
        assertThat(s.runAs()).isEqualTo("dev");
        assertThat(s.installDir()).isEqualTo("/opt/actions-runner");
        assertThat(RunnerInstaller.url(s)).isEqualTo("https://github.com/actions/runner/releases/download/v2.330.0/"
                + RunnerLayout.tarball("2.330.0"));
    }

    @Test
    void theKindIsRegistered() {
        assertThat(Kinds.registry().newRun()).anyMatch(k -> k.kind().equals("runner") && k.specKey().equals("runner"));
    }
}
