package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.devbox.agent.profile.Fixtures.profile;
import static io.devbox.agent.profile.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Labels follow Kubernetes' syntax on the command line, in the agent config and in selectors alike. */
class LabelsTest {
    @Test
    void keysAndValues() {
        for (String ok : List.of("team", "ci", "a", "a.b-c_d", "example.com/team", "sub.example.com/ci-runner", "x".repeat(63))) {
            assertThat(Labels.keyProblem(ok)).as(ok).isEmpty();
        }
        for (String bad : List.of("", "bad label", "-team", "team-", "x".repeat(64), "/team", "Example.com/team", "ex_ample.com/t",
                "a/b/c", "team\n")) {
            assertThat(Labels.keyProblem(bad)).as(bad).isPresent();
        }
        assertThat(Labels.valueProblem("")).isEmpty();
        assertThat(Labels.valueProblem("db")).isEmpty();
        assertThat(Labels.valueProblem("v1.2_x")).isEmpty();
        assertThat(Labels.valueProblem("two words")).isPresent();
        assertThat(Labels.valueProblem("-x")).isPresent();
        assertThat(Labels.valueProblem("x".repeat(64))).isPresent();
    }

    @Test
    void selectorsAreCheckedWithTheSameSyntax() {
        ProfileLoader loader = new ProfileLoader(ValidationCache.NONE);
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> loader.parse(List.of(profile("p.yaml", "p",
                "selector:\n  labels: {\"bad key\": x, team: \"two words\", example.com/ci: runner, gpu: \"\"}\nspec: {}\n"))));
        assertThat(rendered(e)).containsExactly(
                "p.yaml:6:12: selector.labels.bad key: not a label key: an optional DNS-subdomain prefix and '/', then 1 to 63 "
                        + "letters, digits, '-', '_' or '.' beginning and ending with a letter or digit (like team or example.com/team)",
                "p.yaml:6:32: selector.labels.team: not a label value: empty, or 1 to 63 letters, digits, '-', '_' or '.' "
                        + "beginning and ending with a letter or digit");
    }
}
