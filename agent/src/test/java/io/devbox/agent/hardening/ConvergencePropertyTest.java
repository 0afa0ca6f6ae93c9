package io.devbox.agent.hardening;

import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.ResourcePlan;
import io.devbox.agent.engine.Status;
import io.devbox.agent.kinds.testing.WindowsStandIns;
import io.devbox.agent.report.RunInfo;
import io.devbox.agent.run.AgentOptions;
import io.devbox.agent.run.Session;
import io.devbox.agent.testing.GitRepos;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests per kind over random desired and actual states on sandboxes (the engine in process, a --root
 * sandbox, a profile directory): applying the plan and planning again gives an empty plan, and applying twice
 * leaves the box byte for byte as applying once. Seeded {@link Random}s, one per repetition (the seed is in every
 * failure message; {@code -Ddevbox.seed=N} replays one). jqwik is not used: see the hardening report.
 */
class ConvergencePropertyTest {
    static final int TRIES = 6;

    @TempDir
    Path tmp;

    private long seed(RepetitionInfo info, String kind) {
        return Long.getLong("devbox.seed", kind.hashCode() * 7919L + info.getCurrentRepetition());
    }

    @RepeatedTest(TRIES)
    void sysctl(RepetitionInfo info) throws Exception {
        long seed = seed(info, "sysctl");
        Random r = new Random(seed);
        Path root = Sandbox.box(tmp.resolve("box"));
        for (int i = 0; i < 8; i++) {
            Sandbox.write(root.resolve("proc/sys/net/fake/k" + i), r.nextBoolean() ? r.nextInt(100) + "\n" : r.nextInt(9) + "\t" + r.nextInt(9) + "\n");
        }
        if (r.nextBoolean()) Sandbox.write(root.resolve("etc/sysctl.d/90-devbox-agent.conf"), "# stale\nnet.fake.k7 = 1\nnet.fake.k0=2\n");
        StringBuilder spec = new StringBuilder("spec:\n  sysctl:\n");
        for (int i = 0; i < 8; i++) {
            if (r.nextInt(3) == 0) continue;
            String v = r.nextBoolean() ? String.valueOf(r.nextInt(100)) : "\"" + r.nextInt(9) + " ".repeat(1 + r.nextInt(3)) + r.nextInt(9) + "\"";
            spec.append("    net").append(r.nextBoolean() ? ".fake." : "/fake/").append('k').append(i).append(": ").append(v).append('\n');
        }
        check(seed, root, spec.toString(), Map.of());
    }

    @RepeatedTest(TRIES)
    void units(RepetitionInfo info) throws Exception {
        long seed = seed(info, "units");
        Random r = new Random(seed);
        Path root = Sandbox.box(tmp.resolve("box"));
        for (int i = 0; i < 5; i++) {
            if (r.nextBoolean()) Sandbox.write(root.resolve("etc/systemd/system/u" + i + ".service"), "[Unit]\nDescription=old " + r.nextInt() + "\n");
            if (r.nextInt(4) == 0) Sandbox.write(root.resolve("etc/systemd/system/u" + i + ".service.d/10-x.conf"), "[Service]\nNice=" + r.nextInt(20) + "\n");
        }
        StringBuilder spec = new StringBuilder("spec:\n  systemd:\n    units:\n");
        int n = 0;
        for (int i = 0; i < 5; i++) {
            if (r.nextInt(3) == 0) continue;
            n++;
            spec.append("      u").append(i).append(".service:\n        content: \"[Unit]\\nDescription=unit ").append(r.nextInt(1000))
                    .append("\\n\\n[Service]\\nExecStart=/bin/true\\n\"\n");
            if (r.nextBoolean()) {
                spec.append("        dropins:\n");
                for (int d = 0; d <= r.nextInt(2); d++) {
                    spec.append("          ").append(10 + d).append("-x.conf: \"[Service]\\nNice=").append(r.nextInt(20)).append("\\n\"\n");
                }
            }
        }
        if (n == 0) spec = new StringBuilder("spec:\n  systemd:\n    units:\n      only.service: {content: \"[Unit]\\n\"}\n");
        check(seed, root, spec.toString(), Map.of());
    }

    @RepeatedTest(TRIES)
    void hooks(RepetitionInfo info) throws Exception {
        long seed = seed(info, "hooks");
        Random r = new Random(seed);
        Path root = Sandbox.box(tmp.resolve("box"));
        List<String> names = List.of("pre-commit", "commit-msg", "pre-push");
        int repos = 1 + r.nextInt(3);
        for (int i = 0; i < repos; i++) {
            Path repo = GitRepos.init(root.resolve("home/dev/src/r" + i));
            for (String h : names) {
                if (r.nextInt(3) == 0) {
                    Path hook = repo.resolve(".git/hooks").resolve(h);
                    Sandbox.write(hook, "#!/bin/sh\n# the developer's own " + r.nextInt() + "\nexit 0\n");
                    Files.setPosixFilePermissions(hook, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        StringBuilder spec = new StringBuilder("spec:\n  hooks:\n    repos: [\"${home}/src/*\"]\n    hooks:\n");
        Set<String> chosen = new TreeSet<>();
        for (String h : names) if (r.nextBoolean()) chosen.add(h);
        if (chosen.isEmpty()) chosen.add("pre-commit");
        for (String h : chosen) spec.append("      ").append(h).append(": {content: \"#!/bin/sh\\n# ").append(r.nextInt(1000)).append("\\nexit 0\\n\"}\n");
        check(seed, root, spec.toString(), Map.of());
    }

    @RepeatedTest(TRIES)
    void wslConf(RepetitionInfo info) throws Exception {
        long seed = seed(info, "wsl");
        Random r = new Random(seed);
        Path root = Sandbox.box(tmp.resolve("box"));
        WindowsStandIns windows = WindowsStandIns.install(tmp.resolve("windows"));
        Files.createDirectories(root.resolve("mnt/c/Users/dev"));
        StringBuilder before = new StringBuilder(r.nextBoolean() ? "# the developer's notes\n" : "");
        if (r.nextBoolean()) before.append("[boot]\nsystemd=").append(r.nextBoolean()).append('\n');
        if (r.nextBoolean()) before.append("[network]\nhostname = old-").append(r.nextInt(99)).append("\ngenerateHosts=true\n");
        if (r.nextBoolean()) before.append("[interop]\n; comment\nenabled=false\nunknownKey=1\n");
        Sandbox.write(root.resolve("etc/wsl.conf"), before.toString());
        StringBuilder spec = new StringBuilder("spec:\n  wsl:\n    conf:\n");
        spec.append("      boot: {systemd: ").append(r.nextBoolean()).append("}\n");
        if (r.nextBoolean()) spec.append("      network: {hostname: box-").append(r.nextInt(99)).append(", generateResolvConf: ").append(r.nextBoolean()).append("}\n");
        if (r.nextBoolean()) spec.append("      interop: {enabled: ").append(r.nextBoolean()).append(", appendWindowsPath: ").append(r.nextBoolean()).append("}\n");
        if (r.nextBoolean()) spec.append("      user: {default: dev}\n");
        check(seed, root, spec.toString(), windows.wslEnv());
    }

    @RepeatedTest(TRIES)
    void cgroupsOnAFakeV2Tree(RepetitionInfo info) throws Exception {
        long seed = seed(info, "cgroups");
        Random r = new Random(seed);
        Path root = Sandbox.box(tmp.resolve("box"));
        Path cg = root.resolve("sys/fs/cgroup");
        List<String> ctrls = List.of("cpu", "io", "memory", "pids");
        Set<String> enabled = new TreeSet<>();
        for (String c : ctrls) if (r.nextBoolean()) enabled.add(c);
        Sandbox.write(cg.resolve("cgroup.subtree_control"), String.join(" ", enabled) + "\n");
        StringBuilder spec = new StringBuilder("spec:\n  cgroups:\n");
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String path = r.nextBoolean() ? "a" + i + ".slice" : "work.slice/j" + i;
            spec.append("    ").append(path).append(":\n");
            if (r.nextBoolean()) spec.append("      pids: {max: ").append(r.nextBoolean() ? String.valueOf(1 + r.nextInt(5000)) : "max").append("}\n");
            if (r.nextBoolean()) spec.append("      memory: {max: ").append(64 + r.nextInt(4000)).append("M}\n");
            if (r.nextBoolean()) spec.append("      cpu: {weight: ").append(1 + r.nextInt(10000)).append("}\n");
            spec.append("      io: {weight: ").append(1 + r.nextInt(10000)).append("}\n");
        }
        checkCgroups(seed, root, spec.toString(), new FakeCgroupKernel(cg));
    }

    /** What cgroupfs does that a plain directory does not: "+ctrl -ctrl" writes to subtree_control edit the list. */
    static final class FakeCgroupKernel {
        private final Path cg;
        private final Map<Path, Set<String>> before = new HashMap<>();

        FakeCgroupKernel(Path cg) {
            this.cg = cg;
        }

        void snapshot() throws IOException {
            before.clear();
            for (Path f : subtreeControls()) before.put(f, tokens(Files.readString(f)));
        }

        void settle() throws IOException {
            for (Path f : subtreeControls()) {
                String s = Files.readString(f);
                if (!s.contains("+") && !s.contains("-")) continue;
                Set<String> on = new TreeSet<>(before.getOrDefault(f, Set.of()));
                for (String t : s.trim().split("\\s+")) {
                    if (t.startsWith("+")) on.add(t.substring(1));
                    else if (t.startsWith("-")) on.remove(t.substring(1));
                }
                Files.writeString(f, String.join(" ", on) + "\n");
            }
        }

        private static Set<String> tokens(String s) {
            Set<String> out = new TreeSet<>();
            for (String t : s.trim().split("\\s+")) if (!t.isEmpty() && !t.startsWith("+") && !t.startsWith("-")) out.add(t);
            return out;
        }

        private List<Path> subtreeControls() throws IOException {
            try (Stream<Path> s = Files.walk(cg)) {
                return s.filter(p -> p.getFileName().toString().equals("cgroup.subtree_control")).toList();
            }
        }
    }

    private void check(long seed, Path root, String spec, Map<String, String> env) throws Exception {
        check(seed, root, spec, env, null);
    }

    /**
     * cgroups at the reconciler level, as the engine drives them, with the fake kernel acting after every write (the
     * engine verifies each resource right after applying it, before a test could play the kernel).
     */
    private void checkCgroups(long seed, Path root, String spec, FakeCgroupKernel kernel) throws Exception {
        String what = "seed " + seed + "\n" + spec;
        io.devbox.agent.host.Host host = new io.devbox.agent.host.Host(root, root.resolve("proc/sys"), root.resolve("sys/fs/cgroup"),
                tmp.resolve("state"), new io.devbox.agent.host.Facts("dev-1", "boot", false, false, "dev", "/home/dev", true),
                new io.devbox.agent.host.Commands());
        Files.createDirectories(tmp.resolve("state"));
        var r = new io.devbox.agent.kinds.cgroup.CgroupReconciler();
        var ctx = new io.devbox.agent.engine.DesiredContext(new io.devbox.agent.profile.HostIdentity("dev-1", Map.of(), "dev", "/home/dev"),
                new io.devbox.agent.profile.ComposedSpec(Map.of(), List.of("p"), io.devbox.agent.profile.RepoFiles.NONE), host);
        var section = ((io.devbox.agent.profile.Node.Mapping) io.devbox.agent.testing.TestNodes.yaml("profiles/p.yaml", spec)).get("spec");
        var desired = r.desired(((io.devbox.agent.profile.Node.Mapping) section).get("cgroups"), ctx);
        for (int pass = 0; pass < 2; pass++) {
            Map<String, String> before = hashes(root);
            for (var d : desired) {
                for (var c : r.diff(d, r.probe(d, host))) {
                    kernel.snapshot();
                    r.apply(d, c, host);
                    kernel.settle();
                }
            }
            r.finish(host);
            for (var d : desired) assertThat(r.diff(d, r.probe(d, host))).as("plan after apply, " + what).isEmpty();
            if (pass == 1) assertThat(hashes(root)).as("applying twice = applying once, " + what).isEqualTo(before);
        }
    }

    private void check(long seed, Path root, String spec, Map<String, String> env, FakeCgroupKernel kernel) throws Exception {
        Path repo = tmp.resolve("repo");
        Sandbox.write(repo.resolve("profiles/p.yaml"), String.format(HostileCase.HEADER, "p") + spec);
        Map<String, String> environment = new HashMap<>(env);
        AgentOptions o = new AgentOptions(repo.toString(), null, "profiles", true, root, tmp.resolve("state"), null, null,
                "dev-1", Map.of(), "dev", Duration.ofSeconds(5), tmp);
        String what = "seed " + seed + "\n" + spec;

        if (kernel != null) kernel.snapshot();
        RunInfo first = session(o, environment).apply(Set.of(), Optional.empty(), () -> false).run();
        if (kernel != null) kernel.settle();
        assertThat(first.errors()).as(what).isEmpty();
        assertThat(first.resources()).as(what).noneMatch(p -> p.status() == Status.ERROR);

        RunInfo again = session(o, environment).plan("plan", Set.of());
        List<String> pending = new ArrayList<>();
        for (ResourcePlan p : again.resources()) {
            if (p.status() != Status.OK && p.status() != Status.SKIPPED || !p.changes().isEmpty()) pending.add(p.id() + " " + p.status() + " " + p.changes());
        }
        assertThat(pending).as("plan after apply, " + what).isEmpty();

        Map<String, String> once = hashes(root);
        if (kernel != null) kernel.snapshot();
        RunInfo second = session(o, environment).apply(Set.of(), Optional.empty(), () -> false).run();
        if (kernel != null) kernel.settle();
        assertThat(second.resources()).as(what).noneMatch(p -> p.status() == Status.ERROR);
        assertThat(hashes(root)).as("applying twice = applying once, " + what).isEqualTo(once);
    }

    private static Session session(AgentOptions o, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(System.getenv());
        all.putAll(env);
        KindRegistry kinds = env.containsKey("WSL_DISTRO_NAME")
                ? new KindRegistry(List.of(() -> new io.devbox.agent.kinds.wsl.WslReconciler(new io.devbox.agent.kinds.wsl.WslEnvironment(all))), Kinds.schema())
                : Kinds.registry();
        return Session.open(o, all, Clock.systemUTC(), kinds);
    }

    /** Path to content digest and mode of every file (the box lock's holder line excluded: it names the run). */
    private static Map<String, String> hashes(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (rel.equals("run/devbox-agent.lock")) continue;
                String mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).toString();
                String content = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        ? HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))) : "";
                out.put(rel, mode + " " + content);
            }
        }
        return out;
    }
}
