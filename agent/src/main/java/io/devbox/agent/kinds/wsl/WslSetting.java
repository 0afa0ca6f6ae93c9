package io.devbox.agent.kinds.wsl;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.profile.Origin;

import java.util.List;

/**
 * One managed key of /etc/wsl.conf or .wslconfig, e.g. {@code wsl.conf[boot.systemd]}.
 *
 * @param value          the wanted value (canonical spelling for booleans and modes); for
 *                       {@code ensureSysctlSystem} the user's own command to keep, or null
 * @param ensureSysctlSystem {@code persistSysctls}: {@code [boot] command} must run {@code sysctl --system}; an
 *                       existing command is kept and runs after it
 * @param wslconfigPath  the profile's {@code wslconfigPath} (a Linux or a Windows path), or null to ask Windows
 */
public record WslSetting(WslFile file, String section, String key, String value, boolean ensureSysctlSystem,
                         String wslconfigPath, Origin origin) implements DesiredResource {

    @Override
    public String id() {
        return file.idPrefix() + "[" + section + "." + key + "]";
    }

    @Override
    public List<String> warnings() {
        return List.of("a change to " + (file == WslFile.CONF ? "/etc/wsl.conf" : ".wslconfig")
                + " takes effect after a WSL restart (wsl --shutdown in Windows); the agent reports restart pending until then");
    }
}
