package io.devbox.agent.report;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.Facts;
import io.devbox.agent.profile.Origin;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonReportTest {
    @Test
    void bytesAreTheTextInUtf8() {
        Origin at = new Origin("profiles/bäse.yaml", 3, 5);
        ResourcePlan r = new ResourcePlan("sysctl[net.core.somaxconn]", "sysctl", "net.core.somaxconn", Status.CHANGE,
                List.of(Change.of("sysctl[net.core.somaxconn]", "runtime", Layer.RUNTIME, "4096", "8192 \"ü\" \t€", at)),
                at, null, List.of("warning with a ✓ and a \u0001 control"), "9c1d", List.of(), 1);
        RunInfo run = new RunInfo("20261129T101500Z-plan-3f2a", "plan", "2026-11-29T10:15:00Z", 12,
                new RunInfo.SourceInfo("/home/dev/fleet", null, "3f9c2e1", null),
                new Facts("dev-42", "boot", false, false, "dev", "/home/dev", false), List.of("base"), "d", List.of(r), List.of(RunError.of("ε")));
        var doc = JsonReport.document(run);
        String text = JsonReport.pretty(doc);
        assertThat(text).contains("\\u0001").contains("€").endsWith("}\n");
        assertThat(JsonReport.prettyBytes(doc)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }
}
