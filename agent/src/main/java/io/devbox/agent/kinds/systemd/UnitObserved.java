package io.devbox.agent.kinds.systemd;

import java.util.SortedMap;

/**
 * What the probe found for one unit.
 *
 * @param systemd        systemd is PID 1 (else {@code properties} is empty)
 * @param unitFile       content of /etc/systemd/system/NAME, null when absent (or a link)
 * @param unitFileLink   target when that path is a symlink (/dev/null: masked), else null
 * @param dropins        drop-in name to content (null when absent), for the drop-ins the resource names
 * @param properties     {@code systemctl show} properties: LoadState, ActiveState, SubState, UnitFileState,
 *                       FragmentPath, DropInPaths, NeedDaemonReload
 * @param restartPending a content change was written and the running unit has not been restarted since
 */
public record UnitObserved(boolean systemd, String unitFile, String unitFileLink, SortedMap<String, String> dropins,
                           SortedMap<String, String> properties, boolean restartPending) {
    public UnitObserved {
        dropins = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(dropins));
        properties = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(properties));
    }

    public String property(String key) {
        return properties.getOrDefault(key, "");
    }

    public String activeState() {
        return property("ActiveState");
    }

    /** Running or about to: what "started" accepts. */
    public boolean active() {
        return switch (activeState()) {
            case "active", "activating", "reloading" -> true;
            default -> false;
        };
    }

    public String unitFileState() {
        String s = property("UnitFileState");
        if (s.isEmpty() && "not-found".equals(property("LoadState"))) return "not-found";
        return s.isEmpty() ? "(none)" : s;
    }
}
