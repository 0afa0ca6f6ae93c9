package io.devbox.agent.kinds.systemd;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.kinds.systemd.UnitResource.Enablement;
import io.devbox.agent.kinds.systemd.UnitResource.RunState;
import io.devbox.agent.profile.Origin;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** The unit kind's diff as a pure function. */
class UnitDiffTest {
    private static final Origin O = new Origin("profiles/p.yaml", 7, 5);
    private static final String CONTENT = "[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n";
    private final UnitReconciler r = new UnitReconciler();

    private static UnitResource unit(String content, Map<String, String> dropins, Enablement en, RunState st, boolean restart) {
        return new UnitResource("app.service", O, content, dropins, en, st, restart, List.of(), null);
    }

    private static UnitObserved seen(String file, Map<String, String> dropins, String active, String fileState, boolean pending) {
        return new UnitObserved(true, file, null, new TreeMap<>(dropins),
                new TreeMap<>(Map.of("LoadState", file == null ? "not-found" : "loaded", "ActiveState", active,
                        "SubState", active.equals("active") ? "running" : "dead", "UnitFileState", fileState,
                        "NeedDaemonReload", "no")), pending);
    }

    private static Tuple t(String field, String from, String to) {
        return tuple(field, from, to);
    }

    @Test
    void newUnitIsWrittenEnabledAndStartedWithoutRestart() {
        var u = unit(CONTENT, Map.of("10-env.conf", "[Service]\nEnvironment=A=1\n"), Enablement.ENABLED, RunState.STARTED, true);
        List<Change> changes = r.diff(u, seen(null, Map.of(), "inactive", "", false));
        assertThat(changes).extracting(Change::field, Change::from, Change::to).containsExactly(
                t("content", null, UnitReconciler.summary(CONTENT)),
                t("dropin:10-env.conf", null, UnitReconciler.summary("[Service]\nEnvironment=A=1\n")),
                t("enabled", "not-found", "enabled"),
                t("state", "inactive", "active"));
        assertThat(changes).extracting(Change::layer).containsExactly(Layer.PERSISTED, Layer.PERSISTED, Layer.PERSISTED, Layer.RUNTIME);
        assertThat(changes).noneMatch(Change::disruptive);
        assertThat(UnitReconciler.summary(CONTENT)).matches("4 lines, sha256 [0-9a-f]{12}");
    }

    @Test
    void convergedUnitHasNoChangesAndIsNotRestarted() {
        var u = unit(CONTENT, Map.of(), Enablement.ENABLED, RunState.STARTED, true);
        assertThat(r.diff(u, seen(CONTENT, Map.of(), "active", "enabled", false))).isEmpty();
        // activating/reloading count as started: no second start
        assertThat(r.diff(u, seen(CONTENT, Map.of(), "activating", "enabled", false))).isEmpty();
    }

    @Test
    void contentOrDropinChangeOfARunningUnitRestartsIt() {
        var u = unit(CONTENT, Map.of("10-env.conf", "[Service]\nEnvironment=A=2\n"), Enablement.ENABLED, RunState.STARTED, true);
        List<Change> changes = r.diff(u, seen(CONTENT, Map.of("10-env.conf", "[Service]\nEnvironment=A=1\n"), "active", "enabled", false));
        assertThat(changes).extracting(Change::field).containsExactly("dropin:10-env.conf", "restart");
        Change restart = changes.get(1);
        assertThat(restart.disruptive()).isTrue();
        assertThat(restart.from()).isEqualTo("active").isEqualTo(restart.to());
        // restartOnChange: false writes the file only
        var quiet = unit(CONTENT, u.dropins(), Enablement.ENABLED, RunState.STARTED, false);
        assertThat(r.diff(quiet, seen("old\n", Map.of(), "active", "enabled", false))).extracting(Change::field)
                .containsExactly("content", "dropin:10-env.conf");
        // a change to a unit that is to be stopped, or is not running and not asked to run, needs no restart
        var stop = unit("new\n", Map.of(), null, RunState.STOPPED, true);
        assertThat(r.diff(stop, seen("old\n", Map.of(), "active", "enabled", false))).extracting(Change::field)
                .containsExactly("content", "state");
        var leave = unit("new\n", Map.of(), null, null, true);
        assertThat(r.diff(leave, seen("old\n", Map.of(), "inactive", "enabled", false))).extracting(Change::field)
                .containsExactly("content");
        // unknown state, but running: restart on change
        assertThat(r.diff(leave, seen("old\n", Map.of(), "active", "enabled", false))).extracting(Change::field)
                .containsExactly("content", "restart");
    }

    @Test
    void aRestartOwedFromAnEarlierRunIsStillDone() {
        var u = unit(CONTENT, Map.of(), Enablement.ENABLED, RunState.STARTED, true);
        assertThat(r.diff(u, seen(CONTENT, Map.of(), "active", "enabled", true))).extracting(Change::field).containsExactly("restart");
    }

    @Test
    void enablementStates() {
        assertThat(UnitReconciler.enablementHolds(Enablement.ENABLED, "enabled")).isTrue();
        assertThat(UnitReconciler.enablementHolds(Enablement.ENABLED, "static")).isFalse();
        assertThat(UnitReconciler.enablementHolds(Enablement.DISABLED, "static")).isTrue();
        assertThat(UnitReconciler.enablementHolds(Enablement.DISABLED, "disabled")).isTrue();
        assertThat(UnitReconciler.enablementHolds(Enablement.DISABLED, "masked")).isFalse();
        assertThat(UnitReconciler.enablementHolds(Enablement.MASKED, "masked")).isTrue();
        assertThat(UnitReconciler.enablementHolds(Enablement.MASKED, "masked-runtime")).isFalse();
        var masked = unit(null, Map.of(), Enablement.MASKED, RunState.STOPPED, true);
        assertThat(r.diff(masked, seen(null, Map.of(), "active", "disabled", false))).extracting(Change::field, Change::from, Change::to)
                .containsExactly(t("enabled", "disabled", "masked"), t("state", "active", "inactive"));
    }

    @Test
    void aMaskLinkIsReplacedByContent() {
        var u = unit(CONTENT, Map.of(), null, null, true);
        var o = new UnitObserved(true, null, "/dev/null", new TreeMap<>(), new TreeMap<>(Map.of("ActiveState", "inactive",
                "UnitFileState", "masked", "LoadState", "masked")), false);
        assertThat(r.diff(u, o)).extracting(Change::field, Change::from).containsExactly(tuple("content", "link to /dev/null"));
    }

    @Test
    void withoutSystemdOnlyFilesConverge() {
        var u = unit(CONTENT, Map.of(), Enablement.ENABLED, RunState.STARTED, true);
        var o = new UnitObserved(false, null, null, new TreeMap<>(), new TreeMap<>(), false);
        assertThat(r.diff(u, o)).extracting(Change::field).containsExactly("content");
    }

    @Test
    void pruneStopsDisablesAndRemovesOnlyWhatTheAgentWrote() {
        assertThat(r.removal("unit[docker.service]", Map.of("enabled@persisted", "enabled", "state@runtime", "active"))).isEmpty();
        var gone = r.removal("unit[app.service]", Map.of("content@persisted", "4 lines", "dropin:10-env.conf@persisted", "1 line",
                "enabled@persisted", "enabled")).orElseThrow();
        assertThat(gone.removal().unitFile()).isTrue();
        assertThat(gone.removal().dropins()).containsExactly("10-env.conf");
        var o = seen(CONTENT, Map.of("10-env.conf", "x\n"), "active", "enabled", false);
        assertThat(r.diff(gone, o)).extracting(Change::field, Change::to).containsExactly(
                tuple("state", "inactive"), tuple("enabled", "disabled"), tuple("content", null), tuple("dropin:10-env.conf", null));
        assertThat(r.diff(gone, new UnitObserved(true, null, null, new TreeMap<>(), new TreeMap<>(Map.of("LoadState", "not-found",
                "ActiveState", "inactive")), false))).isEmpty();
        // a drop-in on a unit the agent does not own: only the drop-in goes, the unit keeps running and enabled
        var dropinOnly = r.removal("unit[docker.service]", Map.of("dropin:50-limits.conf@persisted", "2 lines")).orElseThrow();
        assertThat(r.diff(dropinOnly, seen("vendor\n", Map.of("50-limits.conf", "x\n"), "active", "enabled", false)))
                .extracting(Change::field).containsExactly("dropin:50-limits.conf");
    }

    @Test
    void fileChangesCarryTheTextsForADiffAndAShippedUnitExistsAlready() {
        var u = unit(CONTENT.replace("infinity", "60"), Map.of("10-env.conf", "[Service]\nEnvironment=A=2\n"), null, null, false);
        UnitObserved o = seen(CONTENT, Map.of("10-env.conf", "[Service]\nEnvironment=A=1\n"), "inactive", "disabled", false);
        List<Change> changes = r.diff(u, o);
        assertThat(changes).extracting(Change::content).containsExactly(
                new Change.Content(CONTENT, CONTENT.replace("infinity", "60")),
                new Change.Content("[Service]\nEnvironment=A=1\n", "[Service]\nEnvironment=A=2\n"));
        // a drop-in for a unit a package ships (no file of ours, systemd knows it): ~, not +
        var dropinOnly = unit(null, Map.of("10-env.conf", "[Service]\nEnvironment=A=1\n"), null, null, false);
        UnitObserved shipped = new UnitObserved(true, null, null, new TreeMap<>(), new TreeMap<>(Map.of("LoadState", "loaded",
                "ActiveState", "active", "UnitFileState", "enabled")), false);
        List<Change> first = r.diff(dropinOnly, shipped);
        assertThat(first).extracting(Change::from).containsOnlyNulls();
        assertThat(r.exists(dropinOnly, shipped, first)).isTrue();
        assertThat(r.exists(u, seen(null, Map.of(), "inactive", "", false), List.of())).isFalse();
    }
}
