package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.devbox.agent.profile.Fixtures.host;
import static io.devbox.agent.profile.Fixtures.profile;
import static io.devbox.agent.profile.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CompositionTest {
    private final ProfileLoader loader = new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema());
    private static final HostIdentity DEV42 = host("dev-42", Map.of("team", "backend"));

    private static ProfileFile sysctl(String path, String name, String head, String sysctls) {
        // header (4 lines) + head + "spec:" + "  sysctl:" + sysctls (each "    k: v")
        return profile(path, name, head + "spec:\n  sysctl:\n" + sysctls);
    }

    private static Node.Mapping section(ComposedSpec spec) {
        return (Node.Mapping) spec.sections().get("sysctl");
    }

    private List<String> errors(HostIdentity host, ProfileFile... files) {
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> loader.load(List.of(files), host, RepoFiles.NONE));
        assertThat(e).as("expected profile errors").isNotNull();
        return rendered(e);
    }

    @Test
    void selectorsPickTheProfilesOfThisBoxInPriorityOrder() throws ProfileException {
        ComposedSpec spec = loader.load(List.of(
                sysctl("profiles/host.yaml", "host", "selector:\n  hostnames: [\"dev-4?\", other]\npriority: 100\n", "    a: 3\n"),
                sysctl("profiles/base.yaml", "base", "", "    a: 1\n"),
                sysctl("profiles/frontend.yaml", "frontend", "selector:\n  labels: {team: frontend}\n", "    b: 1\n"),
                sysctl("profiles/team.yaml", "team", "selector:\n  labels: {team: backend}\npriority: 10\n", "    a: 2\n"),
                sysctl("profiles/glob.yaml", "glob", "selector:\n  hostnames: [\"DEV-[0-3]*\"]\n", "    c: 1\n")),
                DEV42, RepoFiles.NONE);
        assertThat(spec.profileNames()).containsExactly("base", "team", "host");
        assertThat(section(spec).entries()).containsOnlyKeys("a");
        assertThat(((Node.Scalar) section(spec).get("a")).text()).isEqualTo("3");
    }

    @Test
    void aHigherPriorityOverridesAndTheWinnerKeepsItsOrigin() throws ProfileException {
        ComposedSpec spec = loader.load(List.of(
                sysctl("profiles/base.yaml", "base", "", "    vm.swappiness: 60\n    vm.max_map_count: 262144\n"),
                sysctl("profiles/hosts/dev-42.yaml", "dev-42", "priority: 100\n", "    vm.swappiness: 10\n")),
                DEV42, RepoFiles.NONE);
        Node.Mapping s = section(spec);
        assertThat(s.get("vm.swappiness")).isEqualTo(new Node.Scalar("10", new Origin("profiles/hosts/dev-42.yaml", 8, 20)));
        assertThat(s.keyOrigin("vm.swappiness")).isEqualTo(new Origin("profiles/hosts/dev-42.yaml", 8, 5));
        assertThat(s.get("vm.max_map_count")).isEqualTo(new Node.Scalar("262144", new Origin("profiles/base.yaml", 8, 23)));
        assertThat(s.keyOrigin("vm.max_map_count")).isEqualTo(new Origin("profiles/base.yaml", 8, 5));
        assertThat(List.copyOf(s.entries().keySet())).containsExactly("vm.swappiness", "vm.max_map_count");
    }

    @Test
    void equalPrioritiesSettingOneLeafDifferentlyConflictNamingBothLocations() {
        assertThat(errors(DEV42,
                sysctl("profiles/a.yaml", "a", "", "    vm.swappiness: 10\n    vm.max_map_count: 1\n"),
                sysctl("profiles/b.yaml", "b", "selector:\n  labels: {team: backend}\n", "    vm.max_map_count: 1\n    vm.swappiness: 20\n")))
                .containsExactly("profiles/b.yaml:10:20: spec.sysctl.vm.swappiness: conflicts with profiles/a.yaml:7"
                        + " ('10' there, '20' here) at equal priority 0; give one profile a higher priority or make them agree");
    }

    @Test
    void equalValuesAtEqualPriorityAreNotAConflict() throws ProfileException {
        ComposedSpec spec = loader.load(List.of(
                sysctl("profiles/a.yaml", "a", "", "    vm.swappiness: 10\n"),
                sysctl("profiles/b.yaml", "b", "", "    vm.swappiness: \"10\"\n")), DEV42, RepoFiles.NONE);
        assertThat(((Node.Scalar) section(spec).get("vm.swappiness")).text()).isEqualTo("10");
        assertThat(section(spec).get("vm.swappiness").origin().file()).isEqualTo("profiles/a.yaml");
    }

    @Test
    void profilesThatDoNotApplyCannotConflict() throws ProfileException {
        ComposedSpec spec = loader.load(List.of(
                sysctl("profiles/a.yaml", "a", "", "    vm.swappiness: 10\n"),
                sysctl("profiles/b.yaml", "b", "selector:\n  labels: {team: frontend}\n", "    vm.swappiness: 20\n")),
                DEV42, RepoFiles.NONE);
        assertThat(spec.profileNames()).containsExactly("a");
    }

    @Test
    void sequencesAndMappingsAsLeaves() {
        // mappings merge key by key, anything else is a leaf: composition is generic over future kinds
        List<ProfileError> errs = new java.util.ArrayList<>();
        Node.Mapping low = (Node.Mapping) YamlReader.read("l.yaml",
                "k:\n  m: {x: 1, y: 2}\n  l: [1, 2]\n".getBytes(), errs).orElseThrow().root();
        Node.Mapping high = (Node.Mapping) YamlReader.read("h.yaml",
                "k:\n  m: {y: 3}\n  l: [3]\n".getBytes(), errs).orElseThrow().root();
        Map<String, Node> out = new Composition(errs).compose(List.of(
                new Composition.Layer("l.yaml", 0, low), new Composition.Layer("h.yaml", 1, high)));
        assertThat(errs).isEmpty();
        Node.Mapping k = (Node.Mapping) out.get("k");
        Node.Mapping m = (Node.Mapping) k.get("m");
        assertThat(m.get("x").origin().file()).isEqualTo("l.yaml");
        assertThat(((Node.Scalar) m.get("y")).text()).isEqualTo("3");
        assertThat(((Node.Sequence) k.get("l")).items()).hasSize(1);
        assertThat(k.get("l").origin()).isEqualTo(new Origin("h.yaml", 3, 6));

        Node.Mapping same = (Node.Mapping) YamlReader.read("s.yaml", "k:\n  l: [9, 2]\n".getBytes(), errs).orElseThrow().root();
        new Composition(errs).compose(List.of(new Composition.Layer("l.yaml", 0, low), new Composition.Layer("s.yaml", 0, same)));
        assertThat(errs).extracting(ProfileError::render).containsExactly(
                "s.yaml:2:6: spec.k.l: conflicts with l.yaml:3 (a list of 2 there, a list of 2 here) at equal priority 0;"
                        + " give one profile a higher priority or make them agree");
    }

    @Test
    void aProfileWithoutSelectorAppliesToEveryBox() throws ProfileException {
        ComposedSpec spec = loader.load(List.of(sysctl("profiles/a.yaml", "a", "", "    x: 1\n")),
                host("anything", Map.of()), RepoFiles.NONE);
        assertThat(spec.profileNames()).containsExactly("a");
        assertThat(spec.files()).isSameAs(RepoFiles.NONE);
    }
}
