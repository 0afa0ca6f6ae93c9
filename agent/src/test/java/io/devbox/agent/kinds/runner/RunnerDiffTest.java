package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.Change;
import io.devbox.agent.profile.Origin;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner's diff as a pure function of spec and observed state. */
class RunnerDiffTest {
    private final RunnerReconciler r = new RunnerReconciler();
    private static final Origin O = new Origin("profiles/ci.yaml", 5, 3);

    private static RunnerResource.Runner install(String version, List<String> labels, boolean ephemeral, String group) {
        return new RunnerResource.Runner(new RunnerSpec("https://github.com/acme/api", "dev-42", labels, version, "0".repeat(64),
                RunnerLayout.DEFAULT_MIRROR, "/opt/actions-runner", "dev", "/etc/t", null, ephemeral, group, false, O,
                Map.of("version", new Origin("profiles/ci.yaml", 9, 14))));
    }

    private static RunnerObserved.InstallState registered(String version, String labels) {
        return new RunnerObserved.InstallState(true, true, version, null, "https://github.com/acme/api", "dev-42", labels, false, null, null);
    }

    @Test
    void convergedIsEmpty() {
        assertThat(r.diff(install("2.330.0", List.of("wsl2", "go"), false, null), registered("2.330.0", "go,wsl2"))).isEmpty();
        assertThat(r.diff(install("2.330.0", List.of(), false, null), registered("2.330.0", "(none)"))).isEmpty();
    }

    @Test
    void aFreshBoxAddsEverythingWithoutDisruption() {
        List<Change> c = r.diff(install("2.330.0", List.of("go"), true, "ci"),
                new RunnerObserved.InstallState(false, false, null, null, null, null, null, false, null, null));
        assertThat(c).extracting(Change::field).containsExactly("version", "url", "name", "labels", "ephemeral", "group");
        assertThat(c).allMatch(x -> x.from() == null && !x.disruptive());
        assertThat(c.get(0).origin().line()).isEqualTo(9);
    }

    @Test
    void upgradesAndReregistrationsOfARegisteredRunnerAreDisruptive() {
        List<Change> c = r.diff(install("2.331.0", List.of("go"), false, "ci"), registered("2.330.0", "go,wsl2"));
        assertThat(c).extracting(Change::field, Change::from, Change::to, Change::disruptive).containsExactly(
                org.assertj.core.groups.Tuple.tuple("version", "2.330.0", "2.331.0", true),
                org.assertj.core.groups.Tuple.tuple("labels", "go,wsl2", "go", true),
                org.assertj.core.groups.Tuple.tuple("group", "(default)", "ci", true));
        assertThat(c).extracting(Change::op).containsExactly(
                new RunnerOp.Install("2.330.0", "2.331.0", true),
                new RunnerOp.Register("labels", "go,wsl2", "go", true),
                new RunnerOp.Register("group", "(default)", "ci", true));
    }

    @Test
    void aBrokenOrForeignDirectoryIsDescribed() {
        var foreign = new RunnerObserved.InstallState(true, false, "2.330.0", null, null, null, null, false, null, null);
        assertThat(r.diff(install("2.330.0", List.of(), false, null), foreign).get(0).from()).isEqualTo("present but not installed by devbox-agent");
        var broken = new RunnerObserved.InstallState(true, true, null, "bin/Runner.Listener is missing", null, null, null, false, null, null);
        Change v = r.diff(install("2.330.0", List.of(), false, null), broken).get(0);
        assertThat(v.from()).isEqualTo("incomplete (bin/Runner.Listener is missing)");
        assertThat(v.disruptive()).isFalse();
    }

    @Test
    void removal() {
        var gone = r.removal("runner[dev-42]", Map.of("version@persisted", "2.330.0")).orElseThrow();
        assertThat(gone.presence().isAbsent()).isTrue();
        assertThat(r.diff(gone, new RunnerObserved.RemovalState("/opt/actions-runner", false, true, true)))
                .extracting(Change::field, Change::from, Change::to).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("registration", "registered", null),
                        org.assertj.core.groups.Tuple.tuple("installed", "/opt/actions-runner", null));
        assertThat(r.diff(gone, new RunnerObserved.RemovalState("/opt/actions-runner", false, true, true)))
                .extracting(Change::op).containsExactly(new RunnerOp.Unregister(), new RunnerOp.DeleteInstall("/opt/actions-runner"));
        assertThat(r.diff(gone, new RunnerObserved.RemovalState("/opt/actions-runner", true, true, true))).isEmpty();
        assertThat(r.diff(gone, new RunnerObserved.RemovalState(null, false, false, false))).isEmpty();
    }

    @Test
    void unitNamesFollowSvcSh() {
        assertThat(RunnerLayout.unitName("https://github.com/acme/api", "dev-42")).isEqualTo("actions.runner.acme-api.dev-42.service");
        assertThat(RunnerLayout.unitName("https://github.com/acme", "dev 42")).isEqualTo("actions.runner.acme.dev-42.service");
        assertThat(RunnerLayout.compareVersions("2.329.0", "2.330.0")).isNegative();
        assertThat(RunnerLayout.compareVersions("2.1000.0", "2.330.0")).isPositive();
    }
}
