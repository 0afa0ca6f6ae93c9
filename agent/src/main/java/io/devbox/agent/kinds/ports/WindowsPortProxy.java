package io.devbox.agent.kinds.ports;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.WindowsTools;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Windows side of a port rule, through the Windows programs only (run from WSL via interop). Reads go
 * through {@code reg.exe} (the registry layout is the same in every Windows language; {@code netsh ... show}
 * headers are localized); writes through {@code netsh.exe}.
 */
final class WindowsPortProxy {
    static final String REG_KEY = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern REG_VALUE = Pattern.compile("^\\s+(\\S+)\\s+REG_SZ\\s+(\\S+)\\s*$");
    private static final Pattern DASHES = Pattern.compile("^-{10,}\\s*$");

    private final WindowsTools tools;
    private final Host host;

    WindowsPortProxy(WindowsTools tools, Host host) {
        this.tools = tools;
        this.host = host;
    }

    /** Every v4tov4 entry: {@code listenaddr/port} (lower case) to {@code connectaddr/port}. */
    Map<String, String> entries() throws ResourceException {
        CommandResult r = run(List.of(tool(tools.reg(), "reg.exe"), "query", REG_KEY));
        if (r.ok()) return parseRegQuery(r.stdout());
        // reg.exe exits 1 for a missing key ("ERROR: The system was unable to find the specified registry key or
        // value." in English, localized elsewhere): no portproxy rule was ever made on this Windows.
        if (r.exitCode() == 1 && r.stdout().isBlank()) return Map.of();
        throw new ResourceException("cannot read the portproxy rules: " + r.describe());
    }

    /** Parses {@code reg query} output: CRLF lines, the key path, then indented {@code NAME    REG_SZ    DATA}. */
    static Map<String, String> parseRegQuery(String stdout) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : stdout.split("\r?\n")) {
            Matcher m = REG_VALUE.matcher(line.replace("\r", ""));
            if (m.matches() && m.group(1).indexOf('/') > 0 && m.group(2).indexOf('/') > 0) {
                out.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** How many firewall rules carry this name (0 when netsh says none match). */
    int firewallRules(String name) throws ResourceException {
        CommandResult r = run(List.of(tool(tools.netsh(), "netsh.exe"), "advfirewall", "firewall", "show", "rule", "name=" + name));
        if (r.ok()) return countRules(r.stdout());
        if (r.exitCode() == 1) return 0; // "No rules match the specified criteria."
        throw new ResourceException("cannot read the firewall rule '" + name + "': " + r.describe());
    }

    /** Each rule in {@code show rule} output is a block whose second line is a row of dashes (in every language). */
    static int countRules(String stdout) {
        int n = 0;
        for (String line : stdout.split("\r?\n")) if (DASHES.matcher(line.replace("\r", "")).matches()) n++;
        return n;
    }

    void add(String listenAddress, int port, String connectAddress, int connectPort) throws ResourceException {
        netsh(List.of("interface", "portproxy", "add", "v4tov4", "listenport=" + port, "listenaddress=" + listenAddress,
                "connectport=" + connectPort, "connectaddress=" + connectAddress, "protocol=tcp"), false);
    }

    void delete(String listenAddress, int port) throws ResourceException {
        netsh(List.of("interface", "portproxy", "delete", "v4tov4", "listenport=" + port, "listenaddress=" + listenAddress,
                "protocol=tcp"), false);
    }

    void addFirewallRule(String name, int port) throws ResourceException {
        netsh(List.of("advfirewall", "firewall", "add", "rule", "name=" + name, "dir=in", "action=allow", "protocol=TCP",
                "localport=" + port), false);
    }

    /** Deletes every rule with this name; none existing is fine. */
    void deleteFirewallRules(String name) throws ResourceException {
        netsh(List.of("advfirewall", "firewall", "delete", "rule", "name=" + name), true);
    }

    private void netsh(List<String> args, boolean noneIsFine) throws ResourceException {
        List<String> argv = new ArrayList<>();
        argv.add(tool(tools.netsh(), "netsh.exe"));
        argv.addAll(args);
        CommandResult r = run(argv);
        if (r.ok()) return;
        String said = (r.stdout() + "\n" + r.stderr()).strip();
        if (notElevated(said)) {
            throw new ResourceException("Windows refused the change: netsh.exe is not elevated (\"" + firstLine(said)
                    + "\"). Programs started from WSL run with your normal Windows token. Run this in an elevated"
                    + " Windows shell (Run as administrator), then run the agent again:\n    " + windowsCommand(args));
        }
        if (noneIsFine && r.exitCode() == 1) return;
        throw new ResourceException(r.describe() + ". The command was:\n    " + windowsCommand(args));
    }

    static boolean notElevated(String output) {
        String o = output.toLowerCase(Locale.ROOT);
        return o.contains("requires elevation") || o.contains("run as administrator") || o.contains("als administrator");
    }

    /** The command as a person types it in cmd.exe or PowerShell: values with spaces quoted. */
    static String windowsCommand(List<String> args) {
        StringBuilder sb = new StringBuilder("netsh");
        for (String a : args) {
            int eq = a.indexOf('=');
            sb.append(' ');
            if (a.indexOf(' ') >= 0 && eq > 0) sb.append(a, 0, eq + 1).append('"').append(a.substring(eq + 1)).append('"');
            else if (a.indexOf(' ') >= 0) sb.append('"').append(a).append('"');
            else sb.append(a);
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private CommandResult run(List<String> argv) throws ResourceException {
        try {
            CommandResult r = host.commands().run(argv, Map.of(), null, TIMEOUT);
            if (r.timedOut()) throw new ResourceException(r.describe());
            return r;
        } catch (IOException e) {
            throw new ResourceException("cannot run " + argv.get(0) + ": " + e.getMessage());
        }
    }

    /** The program's path, or this resource's error naming what is missing. */
    private static String tool(java.nio.file.Path tool, String name) throws ResourceException {
        if (tool == null) throw new ResourceException(WindowsTools.notFound(name));
        return tool.toString();
    }
}
