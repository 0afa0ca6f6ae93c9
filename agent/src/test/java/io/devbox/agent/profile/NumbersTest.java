package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.devbox.agent.profile.Fixtures.host;
import static io.devbox.agent.profile.Fixtures.profile;
import static io.devbox.agent.profile.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The profile model's one rule for numbers: a YAML float without a fractional part is the integer it equals wherever
 * a number is read; one with a fraction (or an infinity, NaN) is a located error.
 */
class NumbersTest {
    private final ProfileLoader loader = new ProfileLoader(ValidationCache.NONE);

    @Test
    void integralFloatsAreTheIntegersTheyEqual() {
        assertThat(YamlReader.Converter.integralFloat("5.0")).contains("5");
        assertThat(YamlReader.Converter.integralFloat("1e3")).contains("1000");
        assertThat(YamlReader.Converter.integralFloat("1E+3")).contains("1000");
        assertThat(YamlReader.Converter.integralFloat("-0.0")).contains("0");
        assertThat(YamlReader.Converter.integralFloat("+8080.000")).contains("8080");
        assertThat(YamlReader.Converter.integralFloat("-12.50e1")).contains("-125");
        assertThat(YamlReader.Converter.integralFloat("0.5")).isEmpty();
        assertThat(YamlReader.Converter.integralFloat("1e-3")).isEmpty();
        assertThat(YamlReader.Converter.integralFloat(".inf")).isEmpty();
        assertThat(YamlReader.Converter.integralFloat("-.Inf")).isEmpty();
        assertThat(YamlReader.Converter.integralFloat(".NaN")).isEmpty();
        assertThat(YamlReader.Converter.integralFloat("1e999999999")).as("no billion-digit integers").isNull();
    }

    @Test
    void priorityPortsAndSysctlsTakeIntegralFloats() throws ProfileException {
        ComposedSpec spec = loader.load(List.of(
                        profile("profiles/a.yaml", "a", "priority: 5.0\nspec:\n  sysctl:\n    vm.swappiness: 10.0\n"
                                + "    vm.max_map_count: 2.62144e5\n  ports: [{port: 8080.0, targetPort: 8.081e3}]\n"),
                        profile("profiles/b.yaml", "b", "priority: 1e3\nspec:\n  sysctl: {vm.overcommit_memory: 1.0}\n")),
                host("dev-1", Map.of()), RepoFiles.NONE);
        Node.Mapping sysctl = (Node.Mapping) spec.sections().get("sysctl");
        assertThat(((Node.Scalar) sysctl.get("vm.swappiness")).text()).isEqualTo("10");
        assertThat(((Node.Scalar) sysctl.get("vm.max_map_count")).text()).isEqualTo("262144");
        assertThat(((Node.Scalar) sysctl.get("vm.overcommit_memory")).text()).isEqualTo("1");
        Node.Mapping port = (Node.Mapping) ((Node.Sequence) spec.sections().get("ports")).items().get(0);
        assertThat(((Node.Scalar) port.get("port")).text()).isEqualTo("8080");
        assertThat(((Node.Scalar) port.get("targetPort")).text()).isEqualTo("8081");
        assertThat(spec.profileNames()).as("priority 5.0 is 5, 1e3 is 1000").containsExactly("a", "b");
        List<Profile> parsed = loader.parse(List.of(profile("p.yaml", "p", "priority: 5.0\nspec: {}\n")));
        assertThat(parsed.get(0).priority()).isEqualTo(5);
    }

    @Test
    void fractionsAreLocatedErrorsWithAHint() {
        assertThat(errors(profile("p.yaml", "p", "priority: 5.5\nspec: {}\n")))
                .containsExactly("p.yaml:5:11: priority: expected integer, got number (5.5 is not a whole number; a number "
                        + "without a fraction, like 5 or 5.0, is an integer)");
        assertThat(errors(profile("p.yaml", "p", "spec:\n  sysctl:\n    vm.swappiness: 0.5\n")))
                .singleElement().asString().startsWith("p.yaml:7:20: spec.sysctl.vm.swappiness: expected integer or string, got number")
                .contains("0.5 is not a whole number");
        assertThat(errors(profile("p.yaml", "p", "spec:\n  ports: [{port: 8080.5}]\n")))
                .singleElement().asString().startsWith("p.yaml:6:18: spec.ports[0].port: expected integer, got number");
        assertThat(errors(profile("p.yaml", "p", "priority: .inf\nspec: {}\n")))
                .singleElement().asString().startsWith("p.yaml:5:11: priority: expected integer, got number");
        assertThat(errors(profile("p.yaml", "p", "priority: 1e999999\nspec: {}\n")))
                .contains("p.yaml:5:11: number 1e999999 is too large");
    }

    @Test
    void aNumberWhereTextIsWantedSaysToQuoteIt() {
        assertThat(errors(profile("p.yaml", "p", "spec:\n  go: {versions: [1.20]}\n")))
                .singleElement().asString()
                .isEqualTo("p.yaml:6:19: spec.go.versions[0]: expected string, got number (YAML reads 1.20 as a number; "
                        + "quote it for text: \"1.20\")");
    }

    private List<String> errors(ProfileFile... files) {
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> loader.parse(List.of(files)));
        assertThat(e).as("expected profile errors").isNotNull();
        return rendered(e);
    }
}
