package io.devbox.agent.profile;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** One representative box per distinct set of profiles the selectors can select. */
class BoxVariantsTest {
    private static Profile p(String name, List<String> hostnames, Map<String, String> labels) {
        return new Profile(name, "", "profiles/" + name + ".yaml", new Selector(hostnames, labels), 0,
                new Node.Mapping(Map.of(), Map.of(), Origin.ofFile("x")), Origin.ofFile("x"));
    }

    private static Set<Set<String>> selections(List<Profile> profiles, BoxVariants.Result r) {
        return r.boxes().stream().map(b -> profiles.stream().filter(p -> p.selector().matches(b)).map(Profile::name)
                .collect(Collectors.toSet())).collect(Collectors.toSet());
    }

    @Test
    void everyCombinationOfLabelValuesAndHostnameGlobs() {
        List<Profile> ps = List.of(
                p("base", List.of(), Map.of()),
                p("backend", List.of(), Map.of("team", "backend")),
                p("db", List.of(), Map.of("team", "db")),
                p("runner", List.of(), Map.of("team", "backend", "ci", "runner")),
                p("dev", List.of("dev-*"), Map.of()),
                p("host42", List.of("*-42"), Map.of()));
        BoxVariants.Result r = BoxVariants.of(ps, new HostIdentity("laptop", Map.of(), "dev", "/home/dev"));
        assertThat(r.truncated()).isFalse();
        Set<Set<String>> seen = selections(ps, r);
        assertThat(seen).contains(
                Set.of("base"),
                Set.of("base", "db"),
                Set.of("base", "backend"),
                Set.of("base", "backend", "runner"),
                Set.of("base", "dev"),
                Set.of("base", "host42"),
                Set.of("base", "dev", "host42"), // dev-42: the overlap of the two globs
                Set.of("base", "dev", "host42", "db"));
        assertThat(seen).as("runner needs team=backend: never with db").noneMatch(s -> s.contains("runner") && s.contains("db"));
        assertThat(r.boxes()).as("distinct selections only").hasSize(seen.size());
        assertThat(r.boxes().get(0).hostname()).as("this box's own name comes first").isEqualTo("laptop");
    }

    @Test
    void globsWithClassesAndQuestionMarksAreFilledIn() {
        List<Profile> ps = List.of(p("a", List.of("ci-[0-9]?"), Map.of()), p("b", List.of("[!x]box"), Map.of()));
        Set<Set<String>> seen = selections(ps, BoxVariants.of(ps, new HostIdentity("h", Map.of(), "dev", "/home/dev")));
        assertThat(seen).contains(Set.of(), Set.of("a"), Set.of("b"));
    }

    @Test
    void tooManyCombinationsAreCutAndSaidSo() {
        java.util.ArrayList<Profile> ps = new java.util.ArrayList<>();
        for (int k = 0; k < 8; k++) for (int v = 0; v < 4; v++) ps.add(p("p" + k + v, List.of(), Map.of("k" + k, "v" + v)));
        BoxVariants.Result r = BoxVariants.of(ps, new HostIdentity("h", Map.of(), "dev", "/home/dev"));
        assertThat(r.truncated()).as("5^8 label combinations").isTrue();
        assertThat(r.boxes()).isNotEmpty();
    }
}
