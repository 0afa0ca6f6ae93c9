package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.devbox.agent.profile.Fixtures.host;
import static io.devbox.agent.profile.Fixtures.profile;
import static io.devbox.agent.profile.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class VariablesTest {
    private final ProfileLoader loader = new ProfileLoader(ValidationCache.NONE);
    private static final HostIdentity BOX = new HostIdentity("dev-42", Map.of("team", "backend", "site", "ber"), "alice", "/home/alice");

    private static ProfileFile withValue(String value) {
        return profile("profiles/v.yaml", "v", "spec:\n  sysctl:\n    kernel.x: " + value + "\n");
    }

    private String expanded(String value) throws ProfileException {
        ComposedSpec spec = loader.load(List.of(withValue(value)), BOX, RepoFiles.NONE);
        return ((Node.Scalar) ((Node.Mapping) spec.sections().get("sysctl")).get("kernel.x")).text();
    }

    private List<String> errors(String value, HostIdentity box) {
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> loader.load(List.of(withValue(value)), box, RepoFiles.NONE));
        assertThat(e).as("expected profile errors").isNotNull();
        return rendered(e);
    }

    @Test
    void knownVariablesAreExpanded() throws ProfileException {
        assertThat(expanded("\"${hostname} ${user} ${home}/src\"")).isEqualTo("dev-42 alice /home/alice/src");
        assertThat(expanded("${label.team}-${label.site}")).isEqualTo("backend-ber");
    }

    @Test
    void theExpandedValueKeepsTheScalarsOrigin() throws ProfileException {
        ComposedSpec spec = loader.load(List.of(withValue("${hostname}")), BOX, RepoFiles.NONE);
        assertThat(((Node.Mapping) spec.sections().get("sysctl")).get("kernel.x").origin())
                .isEqualTo(new Origin("profiles/v.yaml", 7, 15));
    }

    @Test
    void doubleDollarIsALiteral() throws ProfileException {
        assertThat(expanded("\"cost $5, $${hostname} ${hostname}\"")).isEqualTo("cost $5, ${hostname} dev-42");
    }

    @Test
    void anUnknownVariableIsAnErrorAtTheVariable() {
        assertThat(errors("\"a ${hostnme}\"", BOX)).containsExactly("profiles/v.yaml:7:18: unknown variable ${hostnme}"
                + " (known: ${hostname}, ${user}, ${home}, ${label.NAME}; write $${ for a literal ${)");
    }

    @Test
    void anUnknownVariableIsReportedByParseToo() {
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> loader.parse(List.of(withValue("x${foo}"))));
        assertThat(rendered(e)).containsExactly("profiles/v.yaml:7:16: unknown variable ${foo}"
                + " (known: ${hostname}, ${user}, ${home}, ${label.NAME}; write $${ for a literal ${)");
    }

    @Test
    void aLabelTheBoxLacksIsAnError() {
        assertThat(errors("${label.gpu}", BOX))
                .containsExactly("profiles/v.yaml:7:15: ${label.gpu}: this box has no label 'gpu' (labels: site, team)");
        assertThat(errors("${label.gpu}", host("h", Map.of())))
                .containsExactly("profiles/v.yaml:7:15: ${label.gpu}: this box has no label 'gpu' (it has no labels)");
    }

    @Test
    void anUnterminatedVariableIsAnError() {
        assertThat(errors("'x ${hostname'", BOX))
                .containsExactly("profiles/v.yaml:7:18: unterminated variable: '${' without '}' (write $${ for a literal ${)");
    }

    @Test
    void multiLineScalarsFallBackToTheScalarsPosition() {
        assertThat(errors("\"a\\tb ${nope}\"", BOX)).singleElement().asString().startsWith("profiles/v.yaml:7:15: unknown variable ${nope}");
    }

    @Test
    void keysAndNonStringsAreLeftAlone() {
        List<ProfileError> errs = new java.util.ArrayList<>();
        YamlReader.Parsed p = YamlReader.read("v.yaml", "a${x}: ${hostname}\nn: 5\n".getBytes(), errs).orElseThrow();
        Node.Mapping out = (Node.Mapping) Variables.expand(p.root(), p.scalars(), BOX, errs);
        assertThat(errs).isEmpty();
        assertThat(out.entries()).containsOnlyKeys("a${x}", "n");
        assertThat(((Node.Scalar) out.get("a${x}")).text()).isEqualTo("dev-42");
    }

    @Test
    void everyVariableErrorOfAFileComesInOneRunAlsoThoseOnlyTheBoxCanTell() {
        // an unknown variable (any box) and a label this box lacks (only this box) in one file, on two lines
        ProfileFile f = profile("profiles/v.yaml", "v", "spec:\n  sysctl:\n    kernel.x: \"${nope}\"\n"
                + "    kernel.y: \"${label.gpu}\"\n    kernel.z: \"${nope2} ${label.rack}\"\n");
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> loader.load(List.of(f), BOX, RepoFiles.NONE));
        assertThat(rendered(e)).hasSize(4).anySatisfy(l -> assertThat(l).startsWith("profiles/v.yaml:7:16: unknown variable ${nope}"))
                .anySatisfy(l -> assertThat(l).startsWith("profiles/v.yaml:8:16: ${label.gpu}: this box has no label 'gpu'"))
                .anySatisfy(l -> assertThat(l).startsWith("profiles/v.yaml:9:16: unknown variable ${nope2}"))
                .anySatisfy(l -> assertThat(l).startsWith("profiles/v.yaml:9:25: ${label.rack}: this box has no label 'rack'"));
    }

    @Test
    void aLabelVariableNamesALabelInKubernetesSyntax() throws ProfileException {
        HostIdentity box = new HostIdentity("dev-42", Map.of("example.com/team", "db"), "alice", "/home/alice");
        ComposedSpec spec = loader.load(List.of(withValue("\"${label.example.com/team}\"")), box, RepoFiles.NONE);
        assertThat(((Node.Scalar) ((Node.Mapping) spec.sections().get("sysctl")).get("kernel.x")).text()).isEqualTo("db");
        assertThat(errors("\"${label.-bad}\"", BOX)).singleElement().asString().contains("invalid label in ${label.-bad}");
    }
}
