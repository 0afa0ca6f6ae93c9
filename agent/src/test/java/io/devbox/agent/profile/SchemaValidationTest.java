package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.devbox.agent.profile.Fixtures.file;
import static io.devbox.agent.profile.Fixtures.profile;
import static io.devbox.agent.profile.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SchemaValidationTest {
    private final ProfileLoader loader = new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema());

    private List<String> errors(ProfileFile... files) {
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> loader.parse(List.of(files)));
        assertThat(e).as("expected profile errors").isNotNull();
        return rendered(e);
    }

    @Test
    void aValidProfileParses() throws ProfileException {
        List<Profile> ps = loader.parse(List.of(profile("profiles/a.yaml", "a",
                "selector:\n  hostnames: ['dev-*']\n  labels: {team: backend, gpu: true}\npriority: 5\n"
                        + "spec:\n  sysctl:\n    vm.swappiness: 10\n    net/ipv4/ip_local_port_range: \"20000 60999\"\n    k.q: 'true'\n")));
        Profile p = ps.get(0);
        assertThat(p.name()).isEqualTo("a");
        assertThat(p.priority()).isEqualTo(5);
        assertThat(p.selector().hostnames()).containsExactly("dev-*");
        assertThat(p.selector().labels()).containsEntry("team", "backend").containsEntry("gpu", "true");
        assertThat(p.spec().entries()).containsOnlyKeys("sysctl");
        assertThat(p.origin()).isEqualTo(new Origin("profiles/a.yaml", 1, 1));
    }

    @Test
    void wrongTypeIsReportedAtTheValue() {
        assertThat(errors(profile("profiles/base.yaml", "base", "spec:\n  sysctl:\n    vm.swappiness: true\n")))
                .containsExactly("profiles/base.yaml:7:20: spec.sysctl.vm.swappiness: expected integer or string, got boolean");
        assertThat(errors(profile("profiles/base.yaml", "base", "spec:\n  sysctl:\n    vm.swappiness:\n")))
                .containsExactly("profiles/base.yaml:7:19: spec.sysctl.vm.swappiness: expected integer or string, got null (empty value)");
        assertThat(errors(profile("p.yaml", "p", "priority: high\nspec: {}\n")))
                .containsExactly("p.yaml:5:11: priority: expected integer, got string");
        assertThat(errors(profile("p.yaml", "p", "spec:\n  sysctl: [a]\n")))
                .containsExactly("p.yaml:6:11: spec.sysctl: expected mapping, got list");
    }

    @Test
    void patternsAndConstantsAreReportedAtTheValueWithReadableMessages() {
        assertThat(errors(file("p.yaml", "apiVersion: devbox/v2\nkind: Profile\nmetadata:\n  name: Bad_Name\nspec: {}\n")))
                .containsExactly("p.yaml:1:13: apiVersion: must be 'devbox/v1'",
                        "p.yaml:4:9: metadata.name: must be lowercase letters, digits and '-' (at most 63, not starting or ending with '-')");
        assertThat(errors(profile("p.yaml", "p", "spec:\n  sysctl:\n    kernel.x: \"a\\nb\"\n")))
                .containsExactly("p.yaml:7:15: spec.sysctl.kernel.x: sysctl values must be on one line (no line breaks or NUL)");
        assertThat(errors(profile("p.yaml", "p", "priority: 2000000\nspec: {}\n")))
                .containsExactly("p.yaml:5:11: priority: must be at most 1000000, got 2000000");
    }

    @Test
    void unknownFieldIsReportedAtTheKey() {
        assertThat(errors(profile("p.yaml", "p", "spec: {}\nspce: {}\n")))
                .containsExactly("p.yaml:6:1: spce: unknown field 'spce' (allowed: apiVersion, kind, metadata, selector, priority, spec)");
        assertThat(errors(file("p.yaml", "apiVersion: devbox/v1\nkind: Profile\nmetadata:\n  name: p\n  nmae: q\nspec: {}\n")))
                .containsExactly("p.yaml:5:3: metadata.nmae: unknown field 'nmae' (allowed: name, description)");
    }

    private static final String KNOWN = String.join(", ", SchemaDocs.specKeys().stream().sorted().toList());

    @Test
    void unknownKindIsReportedAtItsKeyUnderSpec() {
        assertThat(errors(profile("p.yaml", "p", "spec:\n  sysctl: {}\n  cgroupz:\n    build.slice: {}\n")))
                .containsExactly("p.yaml:7:3: spec.cgroupz: unknown resource kind 'cgroupz' (known: " + KNOWN + ")");
    }

    @Test
    void invalidSysctlNamesAreReportedAtTheKey() {
        assertThat(errors(profile("p.yaml", "p", "spec:\n  sysctl:\n    vm.swappiness: 1\n    net..x: 1\n    /proc/x: 2\n")))
                .containsExactly(
                        "p.yaml:8:5: spec.sysctl.net..x: not a sysctl name: use segments of letters, digits, '_' and '-' separated by '.' or '/' (no '..', no leading '/')",
                        "p.yaml:9:5: spec.sysctl./proc/x: not a sysctl name: use segments of letters, digits, '_' and '-' separated by '.' or '/' (no '..', no leading '/')");
    }

    @Test
    void missingRequiredIsReportedAtTheParentKey() {
        assertThat(errors(file("p.yaml", "apiVersion: devbox/v1\nkind: Profile\nmetadata:\n  description: x\nspec: {}\n")))
                .containsExactly("p.yaml:3:1: metadata: missing required field 'name'");
        assertThat(errors(file("p.yaml", "# hi\napiVersion: devbox/v1\nkind: Profile\nmetadata: {name: p}\n")))
                .containsExactly("p.yaml:2:1: profile: missing required field 'spec'");
    }

    @Test
    void aProfileThatIsNotAMappingIsAnError() {
        assertThat(errors(file("p.yaml", "- a\n- b\n"))).containsExactly("p.yaml:1:1: profile: expected mapping, got list");
    }

    @Test
    void allErrorsOfAllFilesAreReportedTogetherAndSorted() {
        assertThat(errors(
                profile("profiles/b.yaml", "b", "spec:\n  sysctl: {vm.swappiness: false}\n  x: 1\n"),
                file("profiles/a.yaml", "a: [\n"),
                profile("profiles/c.yaml", "c", "spec:\n  sysctl: {}\n")))
                .hasSize(3)
                .satisfies(l -> assertThat(l.get(0)).startsWith("profiles/a.yaml:2:1: YAML syntax error"))
                .satisfies(l -> assertThat(l.get(1)).isEqualTo("profiles/b.yaml:6:27: spec.sysctl.vm.swappiness: expected integer or string, got boolean"))
                .satisfies(l -> assertThat(l.get(2)).isEqualTo("profiles/b.yaml:7:3: spec.x: unknown resource kind 'x' (known: " + KNOWN + ")"));
    }

    @Test
    void badHostnameGlobsAreLocated() {
        assertThat(errors(profile("p.yaml", "p", "selector:\n  hostnames: [\"dev-[0-9\"]\nspec: {}\n")))
                .containsExactly("p.yaml:6:15: selector.hostnames: unterminated '[' in hostname glob 'dev-[0-9'");
    }

    @Test
    void duplicateProfileNamesAcrossFilesAreAnError() {
        assertThat(errors(profile("profiles/a.yaml", "same", "spec: {}\n"), profile("profiles/b.yaml", "same", "spec: {}\n")))
                .containsExactly("profiles/b.yaml:4:9: metadata.name: duplicate profile name 'same' (also in profiles/a.yaml:4)");
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() {
        var registry = com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12);
        var meta = registry.getSchema(com.networknt.schema.SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        var errors = meta.validate(SchemaDocs.json(), com.networknt.schema.InputFormat.JSON);
        assertThat(errors).isEmpty();
    }
}
