package io.devbox.agent.hardening;

import io.devbox.agent.kinds.testing.WindowsStandIns;
import io.devbox.agent.testing.GitRepos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A box and a profile of 300+ resources of several kinds for crash and concurrency tests: kernel parameters in a
 * fake /proc/sys, unit files (files only under a sandbox root), hooks in real git repositories and wsl.conf keys
 * (a WSL box through the Windows stand-ins).
 */
final class BigFleet {
    static final int SYSCTLS = 230;
    static final int UNITS = 60;
    static final int REPOS = 8;
    static final List<String> HOOKS = List.of("pre-commit", "commit-msg");
    static final Map<String, String> WSL_CONF = Map.of("boot.systemd", "true", "automount.enabled", "true",
            "automount.options", "\"metadata,umask=22\"", "network.generateHosts", "false", "network.generateResolvConf", "true",
            "network.hostname", "dev-1", "interop.enabled", "true", "interop.appendWindowsPath", "false", "user.default", "dev");

    final Path root;
    final Path repo;
    final WindowsStandIns windows;

    private BigFleet(Path root, Path repo, WindowsStandIns windows) {
        this.root = root;
        this.repo = repo;
        this.windows = windows;
    }

    static int resources() {
        return SYSCTLS + UNITS + REPOS * HOOKS.size() + WSL_CONF.size();
    }

    /** The box under {@code dir/box}, the profile repository under {@code dir/fleet} (a git repository, committed). */
    static BigFleet create(Path dir) throws Exception {
        Path root = Sandbox.box(dir.resolve("box"));
        for (int i = 0; i < SYSCTLS; i++) Sandbox.write(root.resolve("proc/sys/net/fake/k" + i), "0\n");
        for (int i = 0; i < REPOS; i++) GitRepos.init(root.resolve(String.format("home/dev/src/r%02d", i)));
        Files.createDirectories(root.resolve("mnt/c/Users/dev"));
        WindowsStandIns windows = WindowsStandIns.install(dir.resolve("windows"));
        Path repo = GitRepos.init(dir.resolve("fleet"));
        GitRepos.commitFile(repo, "profiles/big.yaml", profile(1), "big fleet");
        return new BigFleet(root, repo, windows);
    }

    /** The profile; {@code generation} changes every value, so that a second generation rewrites everything. */
    static String profile(int generation) {
        StringBuilder sb = new StringBuilder(String.format(HostileCase.HEADER, "big")).append("spec:\n  sysctl:\n");
        for (int i = 0; i < SYSCTLS; i++) sb.append("    net.fake.k").append(i).append(": ").append(generation * 1000 + i).append('\n');
        sb.append("  systemd:\n    units:\n");
        for (int i = 0; i < UNITS; i++) {
            sb.append(String.format("      svc%02d.service:%n        content: \"[Unit]\\nDescription=generation %d unit %d\\n\\n"
                    + "[Service]\\nExecStart=/bin/true\\n\"%n", i, generation, i));
        }
        sb.append("  hooks:\n    repos: [\"${home}/src/*\"]\n    hooks:\n");
        for (String h : HOOKS) sb.append("      ").append(h).append(": {content: \"#!/bin/sh\\n# generation ").append(generation).append("\\nexit 0\\n\"}\n");
        sb.append("  wsl:\n    conf:\n");
        Map<String, StringBuilder> sections = new java.util.TreeMap<>();
        WSL_CONF.forEach((k, v) -> sections.computeIfAbsent(k.substring(0, k.indexOf('.')), s -> new StringBuilder())
                .append("        ").append(k.substring(k.indexOf('.') + 1)).append(": ")
                .append(k.equals("network.hostname") ? "dev-" + generation : v).append('\n'));
        sections.forEach((s, body) -> sb.append("      ").append(s).append(":\n").append(body));
        return sb.toString();
    }

    void commit(int generation) throws IOException, InterruptedException {
        GitRepos.commitFile(repo, "profiles/big.yaml", profile(generation), "generation " + generation);
    }

    /** Agent arguments for this box with {@code state} as the state directory. */
    List<String> args(Path state) {
        return List.of("--repo", repo.toString(), "--root", root.toString(), "--state-dir", state.toString(),
                "--hostname", "dev-1", "--user", "dev", "--no-color");
    }

    Map<String, String> env() {
        return windows.wslEnv();
    }
}
