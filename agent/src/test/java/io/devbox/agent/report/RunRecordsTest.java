package io.devbox.agent.report;

import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.host.Facts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunRecordsTest {
    /** The run id form, as a regex: what {@link RunRecords#isId} decides by hand. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-9]{8}T[0-9]{6}Z-[A-Za-z0-9.-]+");

    @Test
    void theIdFormIsDecidedAsTheRegexDecidesIt() {
        String id = "20261206T164803Z-plan-a1b2";
        List<String> samples = new java.util.ArrayList<>(List.of(id, "20261206T164803Z-", "20261206T164803Z-x", "20261206T164803Z",
                "2026120T164803Z-plan", "20261206t164803Z-plan", "20261206T164803z-plan", "20261206T164803Z_plan",
                "20261206T164803Z-pl an", "20261206T164803Z-plan/../x", "20261206T164803Z-pl\u00e4n", "", ".devbox-agent-tmp-p1-x",
                "x0261206T164803Z-plan", "20261206T16480xZ-plan", "20261206T164803Z-plan.json.1"));
        // every character of a valid id replaced by each of a few others
        for (int i = 0; i < id.length(); i++) {
            for (char c : "0aZ-._/T:\u00ff ".toCharArray()) samples.add(id.substring(0, i) + c + id.substring(i + 1));
        }
        for (String s : samples) {
            assertThat(RunRecords.isId(s)).as(s).isEqualTo(ID.matcher(s).matches());
        }
    }

    @TempDir
    Path dir;
    private static final Facts HOST = new Facts("dev-1", "boot", false, false, "dev", "/home/dev", true);

    private static RunInfo run(String id, String command, String commit, Status... statuses) {
        List<ResourcePlan> rs = new java.util.ArrayList<>();
        int i = 0;
        for (Status s : statuses) {
            rs.add(new ResourcePlan("sysctl[k" + i + "]", "sysctl", "k" + i, s, List.of(), null, s == Status.OVERRIDE ? "override until X by a: why" : null,
                    List.of(), null, List.of(), ++i));
        }
        return new RunInfo(id, command, id.substring(0, 4) + "-01-01T00:00:00Z", 42, new RunInfo.SourceInfo("/srv/fleet", null, commit, null),
                HOST, List.of("base"), "d", rs, List.of());
    }

    @Test
    void prunesByCountAndByAge() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
        RunRecords records = new RunRecords(dir, new RunRecords.Retention(3, Duration.ofDays(30)), clock);
        records.write(run("20261001T000000Z-plan-0001", "plan", "c1", Status.OK));
        assertThat(records.list()).as("older than 30 days: pruned at once").isEmpty();
        for (int d = 1; d <= 5; d++) records.write(run("2026112" + d + "T000000Z-apply-000" + d, "apply", "c" + d, Status.OK));
        assertThat(records.list()).extracting(RunRecords::idOf).containsExactly(
                "20261125T000000Z-apply-0005", "20261124T000000Z-apply-0004", "20261123T000000Z-apply-0003");
        Files.writeString(dir.resolve("notes.txt"), "not a record");
        assertThat(records.list()).hasSize(3);
    }

    /** Pruning looks at every name: a record beyond the count or the age goes whichever order the directory lists. */
    @Test
    void prunesTheOldestWhenTheCountIsExceededOrOneIsTooOld() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
        RunRecords records = new RunRecords(dir, new RunRecords.Retention(4, Duration.ofDays(30)), clock);
        for (String id : List.of("20261127T000000Z-plan-0003", "20261125T000000Z-plan-0001", "20261128T000000Z-plan-0004",
                "20261126T000000Z-plan-0002")) {
            Files.writeString(dir.resolve(id + ".json"), "{}");
        }
        assertThat(records.prune()).as("four records, all young: nothing to do").isZero();
        assertThat(records.list()).hasSize(4);
        Files.writeString(dir.resolve("20261010T000000Z-plan-0000.json"), "{}");
        assertThat(records.prune()).as("one older than 30 days (and five over the count of four)").isEqualTo(1);
        assertThat(records.list()).extracting(RunRecords::idOf).doesNotContain("20261010T000000Z-plan-0000");
        Files.writeString(dir.resolve("20261129T000000Z-plan-0005.json"), "{}");
        assertThat(records.prune()).as("five young records, the count is four").isEqualTo(1);
        assertThat(records.list()).extracting(RunRecords::idOf).containsExactly("20261129T000000Z-plan-0005",
                "20261128T000000Z-plan-0004", "20261127T000000Z-plan-0003", "20261126T000000Z-plan-0002");
    }

    @Test
    void historyListsNewestFirstAndShowsOne() throws Exception {
        RunRecords records = new RunRecords(dir, RunRecords.Retention.DEFAULT, Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC));
        records.write(run("20261128T100000Z-plan-aaaa", "plan", "1111111aaaa", Status.OK, Status.DRIFT));
        records.write(run("20261128T110000Z-apply-bbbb", "apply", "2222222bbbb", Status.OK, Status.OVERRIDE));
        Files.writeString(dir.resolve("20261128T120000Z-plan-cccc.json"), "{damaged");
        var list = History.list(records, 10);
        assertThat(list.path("runs")).hasSize(2);
        var first = list.path("runs").get(0);
        assertThat(first.path("id").asString()).isEqualTo("20261128T110000Z-apply-bbbb");
        assertThat(first.path("commit").asString()).isEqualTo("2222222bbbb");
        assertThat(first.path("durationMs").asLong()).isEqualTo(42);
        assertThat(first.path("summary").path("override").asInt()).isEqualTo(1);
        assertThat(History.list(records, 1).path("runs")).hasSize(1);
        assertThat(History.table(list)).contains("20261128T100000Z-plan-aaaa", "1111111", "1 ok, 0 change, 1 drift");

        Optional<tools.jackson.databind.JsonNode> shown = records.read("20261128T11");
        assertThat(shown).isPresent();
        assertThat(History.show(shown.get())).contains("apply", "= sysctl[k1]  override", "override until X by a: why");
        assertThat(records.read("20261128T100000Z-plan-aaaa")).isPresent();
        assertThat(records.read("2027")).isEmpty();
        assertThat(records.read("../etc")).isEmpty();
        assertThatThrownBy(() -> records.read("20261128T1")).hasMessageContaining("ambiguous");
    }

    /** Two runs that start in the same second (a fast box): their names do not tell the order, when they were written does. */
    @Test
    void runsOfOneSecondAreListedInTheOrderTheyWereWritten() throws Exception {
        RunRecords records = new RunRecords(dir, RunRecords.Retention.DEFAULT, Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC));
        Path earlier = records.write(run("20261128T100000Z-watch-ffff", "watch", "1111111aaaa", Status.OK));
        Path later = records.write(run("20261128T100000Z-watch-0000", "watch", "2222222bbbb", Status.OK));
        Path plan = records.write(run("20261128T100000Z-plan-9999", "plan", "2222222bbbb", Status.OK));
        java.nio.file.attribute.FileTime t = Files.getLastModifiedTime(earlier);
        Files.setLastModifiedTime(later, java.nio.file.attribute.FileTime.fromMillis(t.toMillis() + 5));
        Files.setLastModifiedTime(plan, java.nio.file.attribute.FileTime.fromMillis(t.toMillis() + 9));
        assertThat(records.list()).containsExactly(plan, later, earlier);
        records.write(run("20261128T100001Z-apply-aaaa", "apply", "3333333cccc", Status.OK));
        assertThat(records.list().get(0).getFileName().toString()).isEqualTo("20261128T100001Z-apply-aaaa.json");
    }

    @Test
    void markdownShowsOverrideReasonsInTheirOwnSection() {
        String md = MarkdownReport.render(run("20261128T110000Z-drift-bbbb", "drift", "c", Status.DRIFT, Status.OVERRIDE, Status.CHANGE));
        assertThat(md).contains("### Drift", "### Rollout", "### Overrides", "| override |", "override until X by a: why");
    }
}
