package io.devbox.agent.kinds.ports;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The IPv4 address of a network interface, from {@code ip -4 -o addr show dev IFACE}. */
final class InterfaceAddress {
    private static final Pattern INET = Pattern.compile("\\binet\\s+(\\d{1,3}(?:\\.\\d{1,3}){3})/\\d+");

    private InterfaceAddress() {
    }

    static String of(Host host, String iface) throws ResourceException {
        CommandResult r;
        try {
            r = host.commands().run(List.of("ip", "-4", "-o", "addr", "show", "dev", iface), Map.of(), null, Duration.ofSeconds(10));
        } catch (IOException e) {
            throw new ResourceException("cannot run ip: " + e.getMessage());
        }
        if (!r.ok()) throw new ResourceException("cannot read the address of " + iface + ": " + r.describe());
        return parse(r.stdout()).orElseThrow(() -> new ResourceException("interface " + iface + " has no IPv4 address"));
    }

    /** The first {@code inet A.B.C.D/N} of {@code ip -o} output (primary address first). */
    static Optional<String> parse(String out) {
        Matcher m = INET.matcher(out);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
