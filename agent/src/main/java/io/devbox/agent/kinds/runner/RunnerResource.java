package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.kinds.systemd.UnitResource;
import io.devbox.agent.profile.Origin;

import java.util.List;

/**
 * The resources of the runner kind. A runner in a profile gives two: {@link Runner} ({@code runner[NAME]}: the
 * package in installDir and its registration) and {@link Service} ({@code unit[actions.runner.<scope>.<NAME>.service]},
 * after the runner), whose probe, diff and apply are the systemd kind's own. A runner dropped from the profiles gives
 * the {@link Presence.Absent absent} forms of both.
 */
public sealed interface RunnerResource extends DesiredResource {

    /**
     * {@code runner[NAME]}: installed at the version, registered with url, name, labels, ephemeral and group; or in its
     * absent form: stopped, unregistered, its install directory deleted, as the agent's record of the runner (state
     * dir) says.
     *
     * @param spec                the runner as declared; null in the absent form
     * @param successorInstallDir absent form: the install directory of the runner the profiles ask for now, if any (a
     *                            renamed runner reuses its directory, which is then not deleted)
     */
    record Runner(String name, RunnerSpec spec, String successorInstallDir, Presence presence) implements RunnerResource {
        public Runner {
            if (presence.isPresent() != (spec != null)) throw new IllegalArgumentException("a present runner has a spec, an absent one none");
        }

        /** The runner as a profile declares it. */
        public Runner(RunnerSpec spec) {
            this(spec.name(), spec, null, Presence.PRESENT);
        }

        /** The runner no profile lists any more. */
        public static Runner absent(String name, String successorInstallDir, Presence.Absent absent) {
            return new Runner(name, null, successorInstallDir, absent);
        }

        @Override
        public String id() {
            return idOf(name);
        }

        @Override
        public Origin origin() {
            return spec == null ? null : spec.origin();
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

        @Override
        public Presence presence() {
            return unit.presence();
        }
    }

    static String idOf(String name) {
        return "runner[" + name + "]";
    }
}
