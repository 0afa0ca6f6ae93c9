package io.devbox.agent.kinds.systemd;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.profile.Origin;

import java.util.List;
import java.util.Map;

/**
 * A systemd unit a profile asks for ({@code unit[docker.service]}), or with {@code removal} set the "gone" form of
 * one whose files the agent wrote and that no profile lists any more.
 *
 * @param content         the unit file's text, or null to leave the unit file alone
 * @param dropins         drop-in file name ({@code 10-limits.conf}) to text, in profile order
 * @param enabled         null to leave enablement alone
 * @param state           null to leave the running state alone
 * @param restartOnChange restart a running unit when its content or drop-ins change
 */
public record UnitResource(String name, Origin origin, String content, Map<String, String> dropins,
                           Enablement enabled, RunState state, boolean restartOnChange, List<String> dependsOn,
                           Removal removal) implements DesiredResource {

    public enum Enablement {
        ENABLED("enabled"), DISABLED("disabled"), MASKED("masked");

        private final String label;

        Enablement(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public enum RunState {
        STARTED("active"), STOPPED("inactive");

        private final String activeState;

        RunState(String activeState) {
            this.activeState = activeState;
        }

        /** The systemd ActiveState this state converges to. */
        public String activeState() {
            return activeState;
        }
    }

    /** What pruning undoes: the unit file (then the unit is stopped and disabled first) and/or drop-ins the agent wrote. */
    public record Removal(boolean unitFile, List<String> dropins) {
        public Removal {
            dropins = List.copyOf(dropins);
        }
    }

    public UnitResource {
        dropins = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dropins));
        dependsOn = List.copyOf(dependsOn);
    }

    public static String idOf(String name) {
        return "unit[" + name + "]";
    }

    @Override
    public String id() {
        return idOf(name);
    }

    public boolean isRemoval() {
        return removal != null;
    }

    /** Whether the resource asks for files (which converge even where systemd is not running). */
    public boolean hasFiles() {
        return content != null || !dropins.isEmpty() || (removal != null && (removal.unitFile() || !removal.dropins().isEmpty()));
    }

    public String unitPath() {
        return "/etc/systemd/system/" + name;
    }

    public String dropinPath(String dropin) {
        return "/etc/systemd/system/" + name + ".d/" + dropin;
    }
}
