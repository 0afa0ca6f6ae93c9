package io.devbox.agent.report;

import io.devbox.agent.engine.Change;
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
}
