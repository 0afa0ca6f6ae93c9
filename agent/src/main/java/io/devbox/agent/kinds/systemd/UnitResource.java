package io.devbox.agent.kinds.systemd;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.profile.Origin;

import java.util.List;
import java.util.Map;

/**
 * A systemd unit a profile asks for ({@code unit[docker.service]}), or its {@link Presence.Absent absent} form: one whose
 * files the agent wrote and that no profile lists any more. What pruning undoes follows from what was last applied:
 * the unit file (then the unit is stopped and disabled first) and/or the drop-ins the agent wrote.
 *
 * @param content         the unit file's text, or null to leave the unit file alone
 * @param dropins         drop-in file name ({@code 10-limits.conf}) to text, in profile order
 * @param enabled         null to leave enablement alone
 * @param state           null to leave the running state alone
 * @param restartOnChange restart a running unit when its content or drop-ins change
 */
public record UnitResource(String name, Origin origin, String content, Map<String, String> dropins,
                           Enablement enabled, RunState state, boolean restartOnChange, List<String> dependsOn,
                           Presence presence) implements DesiredResource {

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

    public UnitResource {
        dropins = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dropins));
        dependsOn = List.copyOf(dependsOn);
        java.util.Objects.requireNonNull(presence);
    }

    /** The unit as a profile declares it. */
    public UnitResource(String name, Origin origin, String content, Map<String, String> dropins, Enablement enabled,
                        RunState state, boolean restartOnChange, List<String> dependsOn) {
        this(name, origin, content, dropins, enabled, state, restartOnChange, dependsOn, Presence.PRESENT);
    }

    public static String idOf(String name) {
        return "unit[" + name + "]";
    }

    @Override
    public String id() {
        return idOf(name);
    }

    public boolean isRemoval() {
        return presence.isAbsent();
    }

    /** The absent form: the agent wrote the unit file, so pruning stops and disables the unit and deletes the file. */
    public boolean removesUnitFile() {
        return presence instanceof Presence.Absent a && a.applied(UnitReconciler.CONTENT, Layer.PERSISTED) != null;
    }

    /** The absent form: the drop-ins the agent wrote (valid names only), which pruning deletes. */
    public List<String> removedDropins() {
        if (!(presence instanceof Presence.Absent a)) return List.of();
        String suffix = "@" + Layer.PERSISTED.label();
        List<String> out = new java.util.ArrayList<>();
        for (var e : new java.util.TreeMap<>(a.lastApplied()).entrySet()) {
            String k = e.getKey();
            if (k.startsWith(UnitReconciler.DROPIN) && k.endsWith(suffix)) {
                String d = k.substring(UnitReconciler.DROPIN.length(), k.length() - suffix.length());
                if (UnitNames.dropinProblem(d).isEmpty()) out.add(d);
            }
        }
        return out;
    }

    /** Whether the resource asks for files (which converge even where systemd is not running). */
    public boolean hasFiles() {
        return content != null || !dropins.isEmpty() || removesUnitFile() || !removedDropins().isEmpty();
    }

    public String unitPath() {
        return "/etc/systemd/system/" + name;
    }

    public String dropinPath(String dropin) {
        return "/etc/systemd/system/" + name + ".d/" + dropin;
    }
}
