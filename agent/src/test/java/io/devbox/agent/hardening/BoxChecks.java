package io.devbox.agent.hardening;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.kinds.hooks.HookScripts;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What a converged, untorn big-fleet box looks like, as a list of problems (empty: fine). */
final class BoxChecks {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BoxChecks() {
    }

    /** Every managed file holds one generation's complete content (no torn or mixed file). */
    static List<String> untorn(Path root, int... generations) throws IOException {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < BigFleet.UNITS; i++) {
            Path unit = root.resolve(String.format("etc/systemd/system/svc%02d.service", i));
            if (!Files.exists(unit)) continue;
            String s = Files.readString(unit);
            boolean whole = false;
            for (int g : generations) {
                whole |= s.equals("[Unit]\nDescription=generation " + g + " unit " + i + "\n\n[Service]\nExecStart=/bin/true\n");
            }
            if (!whole) problems.add(unit + " is torn: " + s);
        }
        Path conf = root.resolve("etc/sysctl.d/90-devbox-agent.conf");
        if (Files.exists(conf)) {
            String s = Files.readString(conf);
            if (!s.endsWith("\n")) problems.add(conf + " does not end with a newline (torn)");
        }
        Path wsl = root.resolve("etc/wsl.conf");
        String w = Files.readString(wsl);
        if (!w.startsWith("[boot]") && !w.startsWith("#") && !w.startsWith("[")) problems.add(wsl + " is torn: " + w);
        for (int r = 0; r < BigFleet.REPOS; r++) {
            for (String h : BigFleet.HOOKS) {
                Path hooks = root.resolve(String.format("home/dev/src/r%02d/.git/hooks", r));
                Path wrapper = hooks.resolve(h);
                if (Files.exists(wrapper)) {
                    String s = Files.readString(wrapper);
                    if (!s.equals(HookScripts.wrapper(h, false, HookScripts.Position.HOOK))) {
                        problems.add(wrapper + " is torn: " + s);
                    }
                }
                Path script = hooks.resolve(h + ".devbox-agent");
                if (Files.exists(script)) {
                    String s = Files.readString(script);
                    if (!s.startsWith("#!/bin/sh\n") || !s.endsWith("exit 0\n")) problems.add(script + " is torn: " + s);
                }
            }
        }
        return problems;
    }

    /** The box holds exactly generation {@code g}. */
    static List<String> converged(Path root, int g) throws IOException {
        List<String> problems = new ArrayList<>(untorn(root, g));
        for (int i = 0; i < BigFleet.SYSCTLS; i++) {
            String v = Files.readString(root.resolve("proc/sys/net/fake/k" + i)).strip();
            if (!v.equals(String.valueOf(g * 1000 + i))) problems.add("net.fake.k" + i + " is " + v);
        }
        for (int i = 0; i < BigFleet.UNITS; i++) {
            if (!Files.exists(root.resolve(String.format("etc/systemd/system/svc%02d.service", i)))) problems.add("unit " + i + " missing");
        }
        for (int r = 0; r < BigFleet.REPOS; r++) {
            for (String h : BigFleet.HOOKS) {
                Path hook = root.resolve(String.format("home/dev/src/r%02d/.git/hooks/%s.devbox-agent", r, h));
                if (!Files.exists(hook) || !Files.readString(hook).contains("# generation " + g + "\n")) problems.add(hook + " not generation " + g);
            }
        }
        if (!Files.readString(root.resolve("etc/wsl.conf")).contains("hostname = dev-" + g)
                && !Files.readString(root.resolve("etc/wsl.conf")).contains("hostname=dev-" + g)) {
            problems.add("wsl.conf lacks generation " + g + ": " + Files.readString(root.resolve("etc/wsl.conf")));
        }
        return problems;
    }

    /** applied.json and every run record parse as JSON. */
    static List<String> stateParses(Path state) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(state)) return problems;
        try (Stream<Path> s = Files.walk(state)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json") && Files.isRegularFile(f)).toList()) {
                try {
                    JSON.readTree(Files.readAllBytes(p));
                } catch (RuntimeException e) {
                    problems.add(p + " does not parse: " + e.getMessage());
                }
            }
        }
        return problems;
    }

    /** Temp files of interrupted writes anywhere under {@code dir}. */
    static List<Path> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)).toList();
        }
    }
}
