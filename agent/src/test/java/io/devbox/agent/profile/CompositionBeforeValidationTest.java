package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.devbox.agent.profile.Fixtures.host;
import static io.devbox.agent.profile.Fixtures.profile;
import static io.devbox.agent.profile.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Each file is checked for its shape alone; what a kind needs is required of the spec composed for a box: a profile
 * of higher priority may set one field and leave the rest to the profiles below it.
 */
class CompositionBeforeValidationTest {
    private final ProfileLoader loader = new ProfileLoader(ValidationCache.NONE);
    private static final ProfileFile GO_BASE = profile("profiles/go.yaml", "go-team",
            "spec:\n  go: {versions: [\"1.22.5\"], default: \"1.22.5\"}\n");
    private static final ProfileFile MIRROR_ONLY = profile("profiles/mirror.yaml", "mirror",
            "priority: 10\nspec:\n  go:\n    mirror: https://mirror.example.com/go/\n");

    @Test
    void aHigherPriorityProfileMaySetOneFieldOfAKind() throws ProfileException {
        assertThat(loader.parse(List.of(MIRROR_ONLY))).as("a file that sets one field is a valid shape").hasSize(1);
        ComposedSpec spec = loader.load(List.of(GO_BASE, MIRROR_ONLY), host("dev-1", Map.of()), RepoFiles.NONE);
        Node.Mapping go = (Node.Mapping) spec.sections().get("go");
        assertThat(go.entries()).containsOnlyKeys("versions", "default", "mirror");
        assertThat(((Node.Scalar) go.get("mirror")).text()).isEqualTo("https://mirror.example.com/go/");
        assertThat(go.get("mirror").origin().file()).isEqualTo("profiles/mirror.yaml");
    }

    @Test
    void whatTheCompositionLacksIsReportedAtTheWinningProfile() {
        ProfileException e = catchThrowableOfType(ProfileException.class,
                () -> loader.load(List.of(MIRROR_ONLY), host("dev-1", Map.of()), RepoFiles.NONE));
        assertThat(rendered(e)).containsExactly("profiles/mirror.yaml:7:3: spec.go: missing required field 'versions' "
                + "(in the spec composed from mirror)");

        ProfileFile runnerPart = profile("profiles/r.yaml", "r", "spec:\n  runner: {url: \"https://github.com/acme/api\", tokenFile: /etc/t}\n");
        ProfileException r = catchThrowableOfType(ProfileException.class,
                () -> loader.load(List.of(runnerPart), host("dev-1", Map.of()), RepoFiles.NONE));
        assertThat(rendered(r)).containsExactly(
                "profiles/r.yaml:6:3: spec.runner: missing required field 'name' (in the spec composed from r)",
                "profiles/r.yaml:6:3: spec.runner: missing required field 'sha256' (in the spec composed from r)",
                "profiles/r.yaml:6:3: spec.runner: missing required field 'version' (in the spec composed from r)");
    }

    @Test
    void twoProfilesThatTogetherGiveContentAndFileAreRefusedAfterComposition() {
        ProfileFile content = profile("profiles/a.yaml", "a", "spec:\n  hooks:\n    repos: [/src/*]\n"
                + "    hooks: {pre-commit: {content: \"#!/bin/sh\\n\"}}\n");
        ProfileFile file = profile("profiles/b.yaml", "b", "priority: 5\nspec:\n  hooks:\n    hooks: {pre-commit: {file: hooks/x.sh}}\n");
        assertThat(catchThrowableOfType(ProfileException.class, () -> loader.parse(List.of(content, file)))).isNull();
        ProfileException e = catchThrowableOfType(ProfileException.class,
                () -> loader.load(List.of(content, file), host("dev-1", Map.of()), RepoFiles.NONE));
        assertThat(rendered(e)).singleElement().asString()
                .contains("spec.hooks.hooks.pre-commit: a hook needs either content or file, not both (in the spec composed from a, b)");

        ProfileFile both = profile("profiles/c.yaml", "c", "spec:\n  hooks:\n    hooks: {pre-commit: {content: x, file: y}}\n");
        assertThat(rendered(catchThrowableOfType(ProfileException.class, () -> loader.parse(List.of(both)))))
                .singleElement().asString().contains("give either content or file, not both");
    }

    @Test
    void theCompositionIsCheckedOnlyWhenTheFilesAreFine() {
        ProfileFile broken = profile("profiles/go.yaml", "go-team", "spec:\n  go: {versions: [1.20]}\n");
        ProfileException e = catchThrowableOfType(ProfileException.class,
                () -> loader.load(List.of(broken, MIRROR_ONLY), host("dev-1", Map.of()), RepoFiles.NONE));
        assertThat(rendered(e)).as("no 'missing versions' on top of the broken file's own error").singleElement().asString()
                .contains("profiles/go.yaml:6:19: spec.go.versions[0]: expected string, got number");
    }

    @Test
    void aValidCompositionIsRememberedPerBox(@TempDir Path tmp) throws ProfileException {
        List<String> asked = new ArrayList<>();
        ValidationCache file = new FileValidationCache(tmp.resolve("validated"));
        ValidationCache recording = new ValidationCache() {
            @Override
            public boolean knownValid(String key) {
                asked.add(key);
                return file.knownValid(key);
            }

            @Override
            public void remember(String key) {
                file.remember(key);
            }
        };
        new ProfileLoader(recording).load(List.of(GO_BASE, MIRROR_ONLY), host("dev-1", Map.of()), RepoFiles.NONE);
        int firstRun = asked.size();
        assertThat(firstRun).as("two files and the composition").isEqualTo(3);
        asked.clear();
        new ProfileLoader(recording).load(List.of(GO_BASE, MIRROR_ONLY), host("dev-1", Map.of()), RepoFiles.NONE);
        asked.clear();
        new ProfileLoader(recording).load(List.of(GO_BASE, MIRROR_ONLY), host("dev-2", Map.of("team", "db")), RepoFiles.NONE);
        assertThat(asked).as("another identity is another composition").hasSize(3);
        assertThat(file.knownValid(asked.get(2))).isTrue();
    }
}
