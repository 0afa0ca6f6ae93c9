package io.devbox.agent.hardening;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One case of the hostile-profile corpus (test resources under {@code hostile/}): a directory with the profile
 * file(s) under {@code profiles/}, an {@code expected-error} file (line 1: the {@code FILE:LINE:COL} prefix, or a
 * shorter prefix such as {@code FILE} or {@code FILE:LINE:}; line 2: a fragment of the message; an optional line 3
 * {@code not: TEXT}: a secret that no output may show) and, for inputs too
 * big to keep in git, a {@code generate} line that {@link #materialize} expands.
 */
record HostileCase(String name, Path dir, String location, String fragment, String forbidden) {
    static final String HEADER = "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: %s}\n";

    static List<HostileCase> all() {
        Path base;
        try {
            base = Path.of(HostileCase.class.getResource("/hostile").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> s = Files.list(base)) {
            return s.filter(Files::isDirectory).sorted().map(HostileCase::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HostileCase read(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("expected-error"), StandardCharsets.UTF_8);
            String forbidden = lines.size() > 2 && lines.get(2).startsWith("not: ") ? lines.get(2).substring(5) : null;
            return new HostileCase(dir.getFileName().toString(), dir, lines.get(0), lines.get(1), forbidden);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether some line of {@code stderr} is the expected error. */
    boolean matches(String stderr) {
        for (String line : stderr.split("\n")) {
            if (!line.startsWith(location)) continue;
            boolean boundary = location.endsWith(":") || line.length() > location.length() && line.charAt(location.length()) == ':';
            if (boundary && line.contains(fragment)) return true;
        }
        return false;
    }

    /** Copies the case's profiles into {@code repo} and expands its generate line. */
    void materialize(Path repo) throws IOException {
        Path profiles = Files.createDirectories(repo.resolve("profiles"));
        Path src = dir.resolve("profiles");
        if (Files.isDirectory(src)) {
            try (Stream<Path> s = Files.walk(src)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    Path target = profiles.resolve(src.relativize(p).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target);
                }
            }
        }
        Path gen = dir.resolve("generate");
        if (Files.exists(gen)) generate(Files.readString(gen).strip().split(" "), profiles);
    }

    private static void generate(String[] g, Path profiles) throws IOException {
        String head = String.format(HEADER, "p");
        switch (g[0]) {
            case "nesting" -> {
                int n = Integer.parseInt(g[1]);
                write(profiles.resolve("p.yaml"), head + "spec: {}\nx: " + "[".repeat(n) + "]".repeat(n) + "\n");
            }
            case "scalar" -> write(profiles.resolve("p.yaml"), head + "spec: {}\nx: \"" + "a".repeat(Integer.parseInt(g[1])) + "\"\n");
            case "key" -> write(profiles.resolve("p.yaml"), head + "spec:\n  sysctl:\n    ? \"" + "k".repeat(Integer.parseInt(g[1])) + "\"\n    : 1\n");
            case "nodes" -> write(profiles.resolve("p.yaml"), head + "spec: {}\nx: [" + "1,".repeat(Integer.parseInt(g[1])) + "1]\n");
            case "total" -> {
                int files = Integer.parseInt(g[1]);
                int size = Integer.parseInt(g[2]);
                for (int i = 0; i < files; i++) {
                    String name = String.format("p%02d", i);
                    StringBuilder sb = new StringBuilder(String.format(HEADER, name)).append("spec: {}\n");
                    String comment = "# " + "x".repeat(98) + "\n";
                    while (sb.length() + comment.length() <= size) sb.append(comment);
                    write(profiles.resolve(name + ".yaml"), sb.toString());
                }
            }
            default -> throw new IllegalArgumentException("unknown generator " + g[0]);
        }
    }

    private static void write(Path p, String s) throws IOException {
        Files.writeString(p, s, StandardCharsets.UTF_8);
    }
}
