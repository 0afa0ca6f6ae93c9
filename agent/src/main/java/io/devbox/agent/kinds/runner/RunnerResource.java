package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.kinds.systemd.UnitResource;
import io.devbox.agent.profile.Origin;

import java.util.List;

/**
 * The resources of the runner kind. A runner in a profile gives two: {@link Install} ({@code runner[NAME]}: the
 * package in installDir and its registration) and {@link Service} ({@code unit[actions.runner.<scope>.<NAME>.service]},
 * after the install), whose probe, diff and apply are the systemd kind's own. A runner dropped from the profiles gives
 * {@link Removal} and a removal {@link Service}.
 */
public sealed interface RunnerResource extends DesiredResource {

    /** {@code runner[NAME]}: installed at the version, registered with url, name, labels, ephemeral and group. */
    record Install(RunnerSpec spec) implements RunnerResource {
        @Override
        public String id() {
            return idOf(spec.name());
        }

        @Override
        public Origin origin() {
            return spec.origin();
        }
    }

    /**
     * The pruned form of {@code runner[NAME]}: stop, unregister, delete the install directory. What to remove is read
     * from the agent's record of the runner (state dir). {@code successorInstallDir} is the install directory of the
     * runner the profiles ask for now, if any: a renamed runner reuses its directory, which is then not deleted.
     */
    record Removal(String name, String successorInstallDir) implements RunnerResource {
        @Override
        public String id() {
            return idOf(name);
        }

        @Override
        public Origin origin() {
            return null;
        }
    }

    /** The runner's systemd unit, converged by the systemd kind's reconciler (also in its removal form). */
    record Service(UnitResource unit) implements RunnerResource {
        @Override
        public String id() {
            return unit.id();
        }

        @Override
        public Origin origin() {
            return unit.origin();
        }

        @Override
        public List<String> dependsOn() {
            return unit.dependsOn();
        }
    }

    static String idOf(String name) {
        return "runner[" + name + "]";
    }
}
