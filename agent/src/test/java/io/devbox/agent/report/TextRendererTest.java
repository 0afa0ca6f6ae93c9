package io.devbox.agent.report;

import io.devbox.agent.engine.Action;
import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Prune;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.engine.Summary;
import io.devbox.agent.profile.Origin;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextRendererTest {
    private static final Origin BASE = new Origin("profiles/base.yaml", 8, 5);

    private static ResourcePlan plan(String id, Status status, List<Change> changes, String reason, List<String> deps, int pos) {
        return new ResourcePlan(id, "k", ResourcePlan.nameOf(id), status, changes, BASE, reason, List.of(), "fp", deps, pos);
    }

    @Test
    void terraformStyleLinesPerStatus() {
        TextRenderer text = new TextRenderer(false);
        String out = text.resources(List.of(
                plan("sysctl[vm.swappiness]", Status.CHANGE, List.of(
                        Change.of("sysctl[vm.swappiness]", "runtime", Layer.RUNTIME, "60", "10", BASE),
                        Change.of("sysctl[vm.swappiness]", "persisted", Layer.PERSISTED, null, "10", BASE)), null, List.of(), 1),
                plan("unit[a.service]", Status.CHANGE, List.of(
                        Change.of("unit[a.service]", "content", Layer.PERSISTED, null, "[Unit]\nA=1\n\n[Service]\n", BASE)),
                        null, List.of("cgroup[build.slice]"), 3),
                plan("sysctl[net.core.somaxconn]", Status.DRIFT, List.of(
                        Change.of("sysctl[net.core.somaxconn]", "runtime", Layer.RUNTIME, "4096", "1024", BASE)),
                        "changed on this box since the last apply (2026-11-28T09:12:00Z)", List.of(), 2),
                plan("port[tcp/8080]", Status.SKIPPED, List.of(), "mirrored networking needs no portproxy", List.of(), 4),
                plan("sysctl[vm.ok]", Status.OK, List.of(), null, List.of(), 5)), false);
        assertThat(out).isEqualTo("""
                  + sysctl[vm.swappiness]                          profiles/base.yaml:8
                        runtime     60 -> 10
                        persisted   (absent) -> 10
                  + unit[a.service]  #3 after cgroup[build.slice]  profiles/base.yaml:8
                        content     (absent) -> 4 lines
                  ! sysctl[net.core.somaxconn]  drift              profiles/base.yaml:8
                        runtime     4096 -> 1024   changed on this box since the last apply (2026-11-28T09:12:00Z)
                    port[tcp/8080]  skipped                        profiles/base.yaml:8
                        mirrored networking needs no portproxy
                """.replace("  + sysctl[vm.swappiness]", "  ~ sysctl[vm.swappiness]"));
        assertThat(out).doesNotContain("vm.ok");
    }

    @Test
    void summaryLineCountsLikeTerraform() {
        assertThat(new TextRenderer(false).planSummary(new Summary(14, 3, 1, 0, 1, 0, 1, 2, 1, 0)))
                .isEqualTo("Plan: 1 to add, 2 to change, 1 to remove (1 of them drift), 14 unchanged, 1 skipped.\n");
        assertThat(new TextRenderer(true).planSummary(new Summary(0, 0, 0, 0, 0, 2, 0, 0, 0, 0))).contains("\u001b[31m2 errors\u001b[0m");
    }

    @Test
    void plusOnlyForWhatDoesNotExistAndFileContentAsADiff() {
        Change persisted = Change.of("sysctl[vm.swappiness]", "persisted", Layer.PERSISTED, null, "10", BASE);
        ResourcePlan sysctl = new ResourcePlan("sysctl[vm.swappiness]", "sysctl", "vm.swappiness", Status.CHANGE, List.of(persisted),
                BASE, null, List.of(), "fp", List.of(), 1, Action.CHANGE, null, false);
        Change content = Change.of("unit[a.service]", "content", Layer.PERSISTED, "2 lines, sha256 aaa", "2 lines, sha256 bbb", BASE)
                .withContent("[Service]\nExecStart=/bin/true\n", "[Service]\nExecStart=/bin/false\n");
        ResourcePlan unit = new ResourcePlan("unit[a.service]", "unit", "a.service", Status.CHANGE, List.of(content), BASE, null,
                List.of(), "fp", List.of(), 2, Action.CHANGE, null, false);
        String out = new TextRenderer(false).resources(List.of(sysctl, unit), false);
        assertThat(out).startsWith("  ~ sysctl[vm.swappiness]").contains(String.join("\n",
                "            @@ -1,2 +1,2 @@", "             [Service]", "            -ExecStart=/bin/true",
                "            +ExecStart=/bin/false", "")).doesNotContain("  + ");
    }

    @Test
    void applyListsEveryResourceWithItsResult() {
        Change c = Change.of("sysctl[a]", "runtime", Layer.RUNTIME, "1", "2", BASE);
        List<ResourcePlan> rs = List.of(
                new ResourcePlan("unit[new.service]", "unit", "new.service", Status.CHANGE, List.of(c), BASE, null, List.of(), "f", List.of(), 1,
                        Action.ADD, null, false).asApplied(),
                new ResourcePlan("sysctl[a]", "sysctl", "a", Status.CHANGE, List.of(c), BASE, null, List.of(), "f", List.of(), 2,
                        Action.CHANGE, null, false).asApplied(),
                new ResourcePlan("runner[dev-42]", "runner", "dev-42", Status.CHANGE, List.of(c), null, null, List.of(), "f", List.of(), 3,
                        Action.REMOVE, Prune.PROFILES, false).asApplied(),
                plan("sysctl[b]", Status.OK, List.of(), null, List.of(), 4),
                plan("port[tcp/8080]", Status.SKIPPED, List.of(), "not WSL", List.of(), 5),
                plan("unit[bad.service]", Status.ERROR, List.of(), "exit 1", List.of(), 6));
        TextRenderer text = new TextRenderer(false);
        assertThat(text.applyResults(rs)).contains(
                line("  + unit[new.service]", "created"),
                line("  ~ sysctl[a]", "changed"),
                line("  - runner[dev-42]", "removed"),
                line("    sysctl[b]", "unchanged"),
                line("    port[tcp/8080]", "skipped: not WSL"),
                line("  x unit[bad.service]", "failed: exit 1"));
        assertThat(text.applySummary(rs)).isEqualTo("Apply: 1 added, 1 changed, 1 removed, 1 unchanged, 1 skipped, 1 failed.\n");
    }

    private static String line(String left, String result) {
        return String.format("%-50s %s%n", left, result);
    }
}
