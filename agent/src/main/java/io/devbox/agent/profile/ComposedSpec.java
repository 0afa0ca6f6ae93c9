package io.devbox.agent.profile;

import java.util.List;
import java.util.Map;

/**
 * The desired state of one box: the {@code spec} sections of every matching profile, merged by priority.
 * Each section (e.g. {@code sysctl}) is a {@link Node} whose leaves carry the origin of the winning value.
 *
 * @param sections     spec key (e.g. "sysctl") to the composed section
 * @param profileNames names of the matching profiles, in application order (lowest priority first)
 * @param files        the source's files, for kinds that reference them ({@code file: hooks/x.sh}; validate the path
 *                     with SafePaths first)
 */
public record ComposedSpec(Map<String, Node> sections, List<String> profileNames, RepoFiles files) {
    public ComposedSpec {
        sections = Map.copyOf(sections);
        profileNames = List.copyOf(profileNames);
    }
}
