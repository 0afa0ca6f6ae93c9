package io.devbox.agent.kinds.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The intermediate cgroups the agent made go with their last declared child, and nothing else does. */
class MadeParentsTest {
    @TempDir
    Path tmp;

    @Test
    void onlyWhatTheAgentMadeAndNothingUsesAnyMoreIsRemoved() throws Exception {
        Path cg = Files.createDirectories(tmp.resolve("cg"));
        Files.createDirectories(cg.resolve("team.slice")); // there before the agent
        MadeParents made = new MadeParents(tmp.resolve("state"), "");
        List<String> missing = MadeParents.missing(cg, "team.slice/work.slice/jobs/j1");
        assertThat(missing).containsExactly("team.slice/work.slice", "team.slice/work.slice/jobs");
        made.add(missing);
        Files.createDirectories(cg.resolve("team.slice/work.slice/jobs/j1"));
        Files.createDirectories(cg.resolve("team.slice/work.slice/jobs/j2")); // declared too

        Files.delete(cg.resolve("team.slice/work.slice/jobs/j1"));
        made.removeUnused(cg, "team.slice/work.slice/jobs/j1", Set.of());
        assertThat(cg.resolve("team.slice/work.slice/jobs")).as("j2 still uses it").isDirectory();

        Files.delete(cg.resolve("team.slice/work.slice/jobs/j2"));
        made.removeUnused(cg, "team.slice/work.slice/jobs/j2", Set.of());
        assertThat(cg.resolve("team.slice/work.slice")).doesNotExist();
        assertThat(cg.resolve("team.slice")).as("not the agent's").isDirectory();
        assertThat(tmp.resolve("state/cgroup/made-parents/v2")).as("nothing left to remember").doesNotExist();
    }

    @Test
    void anIntermediateAProfileNowDeclaresIsItsOwnResource() throws Exception {
        Path cg = Files.createDirectories(tmp.resolve("cg"));
        MadeParents made = new MadeParents(tmp.resolve("state"), "memory");
        made.add(MadeParents.missing(cg, "work.slice/j0"));
        Files.createDirectories(cg.resolve("work.slice/j0"));
        Files.delete(cg.resolve("work.slice/j0"));
        made.removeUnused(cg, "work.slice/j0", Set.of("work.slice"));
        assertThat(cg.resolve("work.slice")).isDirectory();
        assertThat(tmp.resolve("state/cgroup/made-parents/memory")).doesNotExist();
    }
}
