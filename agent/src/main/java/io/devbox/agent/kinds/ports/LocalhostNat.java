package io.devbox.agent.kinds.ports;

import io.devbox.agent.host.IoErrors;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's nftables table {@code ip devbox_agent} (one NAT prerouting chain) and the per-interface
 * {@code route_localnet} switch, both through commands ({@code nft}, {@code sysctl}) so that they act in the
 * network namespace the commands run in.
 */
final class LocalhostNat {
    static final String TABLE = "devbox_agent";
    static final String CHAIN = "prerouting";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern RULE = Pattern.compile("^\\s*(.*?)(?:\\s+comment\\s+\"((?:[^\"\\\\]|\\\\.)*)\")?\\s+# handle (\\d+)\\s*$");

    /** One rule of the chain as {@code nft -a list} prints it. */
    record Rule(String body, String comment, long handle) {
    }

    private LocalhostNat() {
    }

    /** The rules of the agent's chain; empty when the table does not exist. */
    static List<Rule> list(Host host) throws ResourceException {
        CommandResult r = run(host, List.of("nft", "-a", "list", "table", "ip", TABLE));
        if (!r.ok()) {
            if (r.stderr().contains("No such file or directory")) return List.of();
            throw new ResourceException("cannot list the nftables table " + TABLE + ": " + r.describe());
        }
        return parse(r.stdout());
    }

    static List<Rule> parse(String listing) {
        List<Rule> out = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String t = line.strip();
            if (t.startsWith("table ") || t.startsWith("chain ") || t.startsWith("type ") || t.startsWith("}")) continue;
            Matcher m = RULE.matcher(line);
            if (m.matches()) out.add(new Rule(m.group(1).strip(), m.group(2), Long.parseLong(m.group(3))));
        }
        return out;
    }

    /** Replaces the rules carrying {@code comment} by one rule, atomically (one nft transaction). */
    static void replace(Host host, String comment, String body, List<Long> oldHandles) throws ResourceException {
        StringBuilder script = new StringBuilder();
        script.append("table ip ").append(TABLE).append(" {\n\tchain ").append(CHAIN)
                .append(" {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t}\n}\n");
        for (long h : oldHandles) script.append("delete rule ip ").append(TABLE).append(' ').append(CHAIN).append(" handle ").append(h).append('\n');
        script.append("add rule ip ").append(TABLE).append(' ').append(CHAIN).append(' ').append(body)
                .append(" comment \"").append(comment).append("\"\n");
        applyScript(host, script.toString());
    }

    /** Deletes rules by handle; drops the whole table when nothing else is left in it. */
    static void delete(Host host, List<Long> handles, boolean dropTable) throws ResourceException {
        StringBuilder script = new StringBuilder();
        if (dropTable) script.append("delete table ip ").append(TABLE).append('\n');
        else for (long h : handles) script.append("delete rule ip ").append(TABLE).append(' ').append(CHAIN).append(" handle ").append(h).append('\n');
        applyScript(host, script.toString());
    }

    static String routeLocalnet(Host host, String iface) throws ResourceException {
        CommandResult r = run(host, List.of("sysctl", "-n", key(iface)));
        if (!r.ok()) throw new ResourceException("cannot read route_localnet of " + iface + " (does the interface exist?): " + r.describe());
        return r.stdout().strip();
    }

    static void setRouteLocalnet(Host host, String iface, String value) throws ResourceException {
        CommandResult r = run(host, List.of("sysctl", "-q", "-w", key(iface) + "=" + value));
        if (!r.ok()) throw new ResourceException("cannot set route_localnet of " + iface + ": " + r.describe());
    }

    private static String key(String iface) {
        // the '/' form, so that interface names with dots (eth0.100) stay one key part
        return "net/ipv4/conf/" + iface + "/route_localnet";
    }

    private static void applyScript(Host host, String script) throws ResourceException {
        // Commands has no stdin: the transaction goes through a private temp file
        Path tmp = null;
        try {
            tmp = Files.createTempFile("devbox-agent-nft", ".nft");
            Files.writeString(tmp, script, StandardCharsets.UTF_8); // root-only: a new 0600 temp file of root's
            CommandResult r = run(host, List.of("nft", "-f", tmp.toString()));
            if (!r.ok()) throw new ResourceException("nft refused the change: " + r.describe());
        } catch (IOException e) {
            throw new ResourceException("cannot write the nftables script: " + IoErrors.describe(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file in /tmp is harmless
                }
            }
        }
    }

    private static CommandResult run(Host host, List<String> argv) throws ResourceException {
        try {
            CommandResult r = host.commands().run(argv, Map.of(), null, TIMEOUT);
            if (r.timedOut()) throw new ResourceException(r.describe());
            return r;
        } catch (IOException e) {
            throw new ResourceException("cannot run " + argv.get(0) + ": " + e.getMessage());
        }
    }
}
