package io.devbox.agent.kinds.runner;

import io.devbox.agent.kinds.systemd.UnitObserved;

/** What the probe of one runner resource saw. Records: their toString is the plan's fingerprint input. */
public sealed interface RunnerObserved {

    /**
     * An install directory and its registration.
     *
     * @param exists     the install directory exists
     * @param marker     it carries the agent's completion marker
     * @param version    what {@code bin/Runner.Listener --version} reports, null when it cannot tell
     * @param problem    why the directory does not count as an installed runner although it exists (null when it does)
     * @param url        GitHubUrl of {@code .runner}, null when not registered (no .runner or no .credentials)
     * @param name       AgentName of {@code .runner}
     * @param labels     labels as last applied (from the agent's record), null when unknown
     * @param ephemeral  as last applied
     * @param group      as last applied (null: the default group)
     * @param job        a running job ({@code Runner.Worker} pid and path) under the install directory, or null
     */
    record InstallState(boolean exists, boolean marker, String version, String problem, String url, String name,
                        String labels, boolean ephemeral, String group, String job) implements RunnerObserved {
        public boolean installed() {
            return exists && marker && problem == null && version != null;
        }

        public boolean registered() {
            return url != null;
        }
    }

    /**
     * A runner the profiles dropped, as far as the agent's record knows it.
     *
     * @param installDir  from the record, null when there is no record
     * @param takenOver   the runner the profiles ask for now uses the same directory (a rename): nothing to delete
     * @param exists      the directory exists with the agent's marker
     * @param registered  it holds a registration (.runner)
     */
    record RemovalState(String installDir, boolean takenOver, boolean exists, boolean registered) implements RunnerObserved {
    }

    /** The runner's unit, as the systemd kind probes it. */
    record ServiceState(UnitObserved unit) implements RunnerObserved {
    }
}
