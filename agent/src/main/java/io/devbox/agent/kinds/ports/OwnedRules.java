package io.devbox.agent.kinds.ports;

import io.devbox.agent.host.AtomicFiles;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the agent itself made on the box, in {@code <stateDir>/ports/owned.json}: the portproxy entries
 * ({@code listenaddr/port}) and the interfaces whose route_localnet it switched on (with the value before). Only
 * these are ever deleted or restored; rules anyone else made are never touched.
 */
final class OwnedRules {
    private static final JsonMapper JSON = JsonMapper.shared();

    /** The file's content; both collections sorted so that the file is stable. */
    record State(List<String> portproxy, Map<String, String> routeLocalnet) {
        State {
            portproxy = portproxy == null ? List.of() : List.copyOf(new TreeSet<>(portproxy));
            routeLocalnet = routeLocalnet == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(routeLocalnet));
        }
    }

    private final Path file;

    OwnedRules(Path stateDir) {
        this.file = stateDir.resolve("ports").resolve("owned.json");
    }

    State read() throws IOException {
        try {
            return JSON.readValue(Files.readAllBytes(file), State.class); // root-only: the agent's state directory
        } catch (NoSuchFileException e) {
            return new State(List.of(), Map.of());
        } catch (JacksonException e) {
            throw new IOException(file + " is damaged (" + e.getOriginalMessage() + "); remove it to forget which rules the agent made", e);
        }
    }

    void addPortproxy(String listenKey) throws IOException {
        State s = read();
        if (s.portproxy().contains(listenKey)) return;
        List<String> l = new java.util.ArrayList<>(s.portproxy());
        l.add(listenKey);
        write(new State(l, s.routeLocalnet()));
    }

    void removePortproxy(String listenKey) throws IOException {
        State s = read();
        if (!s.portproxy().contains(listenKey)) return;
        List<String> l = new java.util.ArrayList<>(s.portproxy());
        l.remove(listenKey);
        write(new State(l, s.routeLocalnet()));
    }

    /** Remembers the value route_localnet had before the agent changed it (the first time only). */
    void raisedRouteLocalnet(String iface, String before) throws IOException {
        State s = read();
        if (s.routeLocalnet().containsKey(iface)) return;
        Map<String, String> m = new TreeMap<>(s.routeLocalnet());
        m.put(iface, before);
        write(new State(s.portproxy(), m));
    }

    void restoredRouteLocalnet(String iface) throws IOException {
        State s = read();
        if (!s.routeLocalnet().containsKey(iface)) return;
        Map<String, String> m = new TreeMap<>(s.routeLocalnet());
        m.remove(iface);
        write(new State(s.portproxy(), m));
    }

    private void write(State s) throws IOException {
        if (s.portproxy().isEmpty() && s.routeLocalnet().isEmpty()) {
            AtomicFiles.delete(file); // the agent owns no rule any more: nothing of it stays behind
            return;
        }
        // root-only: the agent's state directory
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s), "rw-------");
    }
}
