package io.devbox.agent.report;

import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.Facts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code agent status} shows, per resource, the newest observation of any run: a filtered run speaks for its kinds only. */
class StatusMergeTest {
    @TempDir
    Path dir;
    private static final Facts HOST = new Facts("dev-1", "boot", false, false, "dev", "/home/dev", true);

    private static ResourcePlan r(String id, String kind, Status s) {
        return new ResourcePlan(id, kind, ResourcePlan.nameOf(id), s, List.of(), null, null, List.of(), null, List.of(), 1);
    }

    private static RunInfo run(String id, List<String> only, boolean probed, ResourcePlan... rs) {
        return new RunInfo(id, "plan", id.substring(0, 4) + "-11-29T10:00:00Z", 5, new RunInfo.SourceInfo("/srv/fleet", null, "c", null),
                HOST, List.of("base"), "d", List.of(rs), probed ? List.of() : List.of(RunError.of("bad profile")), only, probed);
    }

    @Test
    void aFilteredRunDoesNotHideWhatAnEarlierRunSawOfOtherKinds() throws Exception {
        RunRecords records = new RunRecords(dir, RunRecords.Retention.DEFAULT, Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC));
        records.write(run("20261129T090000Z-plan-0001", List.of(), true,
                r("sysctl[old]", "sysctl", Status.DRIFT)));
        records.write(run("20261129T100000Z-plan-0002", List.of(), true,
                r("sysctl[vm.swappiness]", "sysctl", Status.DRIFT), r("unit[a.service]", "unit", Status.CHANGE),
                r("go[1.22.5]", "go", Status.CHANGE)));
        records.write(run("20261129T101000Z-plan-0003", List.of("go"), true, r("go[1.22.5]", "go", Status.OK)));
        records.write(run("20261129T102000Z-plan-0004", List.of(), false));

        ObjectNode status = StatusReport.build(HOST, records, AppliedState.empty());
        List<String> drift = new ArrayList<>();
        status.path("drift").forEach(n -> drift.add(n.asString()));
        assertThat(drift).as("the drift the full run saw stays; the run before it is superseded").containsExactly("sysctl[vm.swappiness]");
        JsonNode go = null;
        for (JsonNode n : status.path("resources")) if (n.path("id").asString().equals("go[1.22.5]")) go = n;
        assertThat(go.path("status").asString()).as("the newer go-only run speaks for go").isEqualTo("ok");
        assertThat(go.path("run").asString()).isEqualTo("20261129T101000Z-plan-0003");
        assertThat(status.path("observed").path("change").asInt()).isEqualTo(1);
        assertThat(status.path("resources")).hasSize(3);
        assertThat(status.path("lastRun").path("id").asString()).as("the last run is still the last run").isEqualTo("20261129T102000Z-plan-0004");
        assertThat(status.path("lastRun").path("errors").get(0).asString()).isEqualTo("bad profile");
        String text = StatusReport.text(status);
        assertThat(text).contains("! sysctl[vm.swappiness]  drift  (run 20261129T100000Z-plan-0002", "error: bad profile",
                "Observed 1 ok, 1 change, 1 drift");
    }
}
