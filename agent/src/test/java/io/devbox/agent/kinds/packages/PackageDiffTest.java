package io.devbox.agent.kinds.packages;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.profile.Origin;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure diff of a wanted package state against what dpkg (and apt's candidate) say. */
class PackageDiffTest {
    private static final Origin AT = Origin.ofFile("profiles/base.yaml");
    private static final PackageObserved ABSENT = PackageObserved.absent();

    private static PackageObserved installed(String version) {
        return new PackageObserved(PackageObserved.State.INSTALLED, version, false, "install ok installed", null);
    }

    private static PackageResource pkg(PackageResource.Wanted w) {
        return PackageResource.installed("jq", w, AT);
    }

    @Test
    void presentInstallsOnlyWhatIsMissing() {
        assertThat(PackageDiff.diff(pkg(new PackageResource.Present()), ABSENT))
                .containsExactly(Change.of("package[jq]", AT, new PackageOp.Install(null, "present", false)));
        assertThat(PackageDiff.diff(pkg(new PackageResource.Present()), ABSENT)).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo("version");
            assertThat(c.layer()).isEqualTo(Layer.PERSISTED);
        });
        assertThat(PackageDiff.diff(pkg(new PackageResource.Present()), installed("1.6-2.1"))).isEmpty();
    }

    @Test
    void aPinIsExactAndADowngradeIsDisruptive() {
        PackageResource pin = pkg(new PackageResource.Version("1.6-2.1"));
        assertThat(PackageDiff.diff(pin, installed("1.6-2.1"))).isEmpty();
        List<Change> up = PackageDiff.diff(pin, installed("1.5-1"));
        assertThat(up).singleElement().satisfies(c -> {
            assertThat(c.from()).isEqualTo("1.5-1");
            assertThat(c.to()).isEqualTo("1.6-2.1");
            assertThat(c.disruptive()).isFalse();
        });
        assertThat(PackageDiff.diff(pin, installed("1.7-1"))).singleElement().satisfies(c -> assertThat(c.disruptive()).isTrue());
        assertThat(PackageDiff.installTarget(pin)).isEqualTo("jq=1.6-2.1");
    }

    @Test
    void latestFollowsTheCandidate() {
        PackageResource latest = pkg(new PackageResource.Latest());
        assertThat(PackageDiff.diff(latest, installed("1.0-1").withCandidate("1.0-1"))).isEmpty();
        assertThat(PackageDiff.diff(latest, installed("1.0-1").withCandidate("2.0-1")))
                .singleElement().satisfies(c -> assertThat(c.to()).isEqualTo("2.0-1"));
        // apt knows no candidate (lists not updated yet): installed is enough
        assertThat(PackageDiff.diff(latest, installed("1.0-1"))).isEmpty();
        assertThat(PackageDiff.diff(latest, ABSENT)).singleElement().satisfies(c -> assertThat(c.to()).isEqualTo("latest"));
    }

    @Test
    void absentRemovesAnythingLeftButConfigFilesAreGone() {
        PackageResource absent = PackageResource.absent("jq", AT);
        assertThat(PackageDiff.diff(absent, ABSENT)).isEmpty();
        assertThat(PackageDiff.diff(absent, installed("1.0-1"))).singleElement().satisfies(c -> {
            assertThat(c.to()).isNull();
            assertThat(c.from()).isEqualTo("1.0-1");
            assertThat(c.disruptive()).isTrue();
            assertThat(c.op()).isInstanceOf(PackageOp.Remove.class);
        });
        // the pruned form: what the agent last applied, no origin
        PackageResource pruned = PackageResource.pruned("jq", Presence.absent(java.util.Map.of("version@persisted", "1.0-1")));
        assertThat(PackageDiff.diff(pruned, installed("1.0-1"))).singleElement().satisfies(c -> assertThat(c.op()).isInstanceOf(PackageOp.Remove.class));
        PackageObserved broken = new PackageObserved(PackageObserved.State.BROKEN, "1.0-1", false, "install ok half-configured", null);
        assertThat(PackageDiff.diff(absent, broken)).hasSize(1);
    }

    @Test
    void pureSameInputsSameChanges() {
        PackageResource pin = pkg(new PackageResource.Version("2.0-1"));
        PackageObserved o = installed("1.0-1");
        assertThat(PackageDiff.diff(pin, o)).isEqualTo(PackageDiff.diff(pin, o));
    }
}
