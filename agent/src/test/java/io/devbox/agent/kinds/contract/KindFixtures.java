package io.devbox.agent.kinds.contract;

import io.devbox.agent.engine.Reconciler;
import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.TarGzExtractor;
import io.devbox.agent.kinds.cgroup.CgroupReconciler;
import io.devbox.agent.kinds.files.FilesReconciler;
import io.devbox.agent.kinds.go.GoLayout;
import io.devbox.agent.kinds.go.GoReconciler;
import io.devbox.agent.kinds.go.tools.GoToolsReconciler;
import io.devbox.agent.kinds.hooks.HooksReconciler;
import io.devbox.agent.kinds.packages.DebianRoot;
import io.devbox.agent.kinds.packages.LocalAptRepo;
import io.devbox.agent.kinds.packages.PackagesReconciler;
import io.devbox.agent.kinds.ports.PortsReconciler;
import io.devbox.agent.kinds.runner.FakeRunnerPackage;
import io.devbox.agent.kinds.runner.RunnerLayout;
import io.devbox.agent.kinds.runner.RunnerReconciler;
import io.devbox.agent.kinds.sysctl.SysctlReconciler;
import io.devbox.agent.kinds.systemd.UnitReconciler;
import io.devbox.agent.kinds.testing.WindowsStandIns;
import io.devbox.agent.host.WslEnvironment;
import io.devbox.agent.kinds.wsl.PersistSysctls;
import io.devbox.agent.kinds.wsl.WslReconciler;
import io.devbox.agent.testing.GitRepos;
import io.devbox.agent.testing.GoModuleProxy;
import io.devbox.agent.testing.LoopbackServer;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.Tarballs;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Each kind's fixture for the {@link KindContractTest}: random desired and actual states from a seeded {@link Random}
 * (the seed is in every failure message), on a box where the kind really works. A new kind adds its fixture here.
 */
final class KindFixtures {
    private KindFixtures() {
    }

    /** The fixture of {@code kind}; empty for a kind that has none yet. */
    static java.util.Optional<KindFixture> of(String kind, Path tmp, Random r) throws Exception {
        return java.util.Optional.ofNullable(switch (kind) {
            case "sysctl" -> sysctl(tmp, r);
            case "cgroup" -> cgroup(tmp, r);
            case "unit" -> unit(tmp, r);
            case "port" -> ports(tmp, r);
            case "wsl" -> wsl(tmp, r);
            case "go" -> go(tmp, r);
            case "gotool" -> goTools(tmp, r);
            case "hook" -> hooks(tmp, r);
            case "runner" -> runner(tmp, r);
            case "package" -> packages(tmp, r);
            case "file" -> files(tmp, r);
            default -> null;
        });
    }

    /** A fixture made of its parts. */
    record Parts(Supplier<Reconciler<?, ?>> reconcilers, Host host, Path tree, String section, Set<String> notTheBox,
                 Set<String> keptByPrune, boolean prunes, AutoCloseable resources, Set<String> restoredExactly) implements KindFixture {
        Parts(Supplier<Reconciler<?, ?>> reconcilers, Host host, Path tree, String section, Set<String> notTheBox,
              Set<String> keptByPrune, boolean prunes, AutoCloseable resources) {
            this(reconcilers, host, tree, section, notTheBox, keptByPrune, prunes, resources, Set.of());
        }

        Parts(Supplier<Reconciler<?, ?>> reconcilers, Host host, Path tree, String section) {
            this(reconcilers, host, tree, section, Set.of(), Set.of(), true, () -> {
            });
        }

        @Override
        public Reconciler<?, ?> reconciler() {
            return reconcilers.get();
        }

        /** These parts, where {@code commands} tells which of the kind's commands change something. */
        KindFixture withMutating(Predicate<List<String>> commands) {
            Parts parts = this;
            return new KindFixture() {
                @Override public Reconciler<?, ?> reconciler() { return parts.reconciler(); }
                @Override public Host host() { return parts.host(); }
                @Override public Path tree() { return parts.tree(); }
                @Override public String section() { return parts.section(); }
                @Override public Set<String> notTheBox() { return parts.notTheBox(); }
                @Override public Set<String> keptByPrune() { return parts.keptByPrune(); }
                @Override public Set<String> restoredExactly() { return parts.restoredExactly(); }
                @Override public boolean prunes() { return parts.prunes(); }
                @Override public boolean mutates(List<String> argv) { return commands.test(argv); }
                @Override public void close() { parts.close(); }
            };
        }

        @Override
        public void close() {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    /** Kernel parameters in a fake /proc/sys (the way the kernel prints them), some already as wanted. */
    static KindFixture sysctl(Path tmp, Random r) throws IOException {
        Path root = tmp.resolve("box");
        for (int i = 0; i < 8; i++) {
            write(root.resolve("proc/sys/net/fake/k" + i), r.nextBoolean() ? r.nextInt(100) + "\n" : r.nextInt(9) + "\t" + r.nextInt(9) + "\n");
        }
        Files.createDirectories(root.resolve("etc/sysctl.d"));
        boolean stale = r.nextBoolean();
        if (stale) write(root.resolve("etc/sysctl.d/90-devbox-agent.conf"), "# stale\nnet.fake.k7 = 1\nnet.fake.k0=2\n");
        StringBuilder spec = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i > 0 && r.nextInt(3) == 0) continue;
            String v = r.nextBoolean() ? String.valueOf(r.nextInt(100)) : "\"" + r.nextInt(9) + " ".repeat(1 + r.nextInt(3)) + r.nextInt(9) + "\"";
            spec.append("net").append(r.nextBoolean() ? ".fake." : "/fake/").append('k').append(i).append(": ").append(v).append('\n');
        }
        Host host = Sandboxes.host(root);
        // a prune stops managing a kernel's live value: the value before the agent set it is not known to restore; and
        // a stale agent file from before is the agent's own, rewritten without the pruned keys rather than restored
        Set<String> kept = stale ? Set.of("proc/sys", "etc/sysctl.d/90-devbox-agent.conf") : Set.of("proc/sys");
        return new Parts(() -> new SysctlReconciler(PersistSysctls::configured), host, root, spec.toString(), Set.of(), kept, true, () -> {
        });
    }

    /** A fake cgroup v2 tree whose subtree_control acts like the kernel's; no systemd, so no slice drop-ins. */
    static KindFixture cgroup(Path tmp, Random r) throws IOException {
        Path root = tmp.resolve("box");
        Path cg = root.resolve("sys/fs/cgroup");
        write(cg.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        Set<String> enabled = new TreeSet<>();
        for (String c : List.of("cpu", "io", "memory", "pids")) if (r.nextBoolean()) enabled.add(c);
        write(cg.resolve("cgroup.subtree_control"), String.join(" ", enabled) + "\n");
        StringBuilder spec = new StringBuilder();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String path = r.nextBoolean() ? "a" + i + ".slice" : "work.slice/j" + i;
            spec.append(path).append(":\n");
            if (r.nextBoolean()) spec.append("  pids: {max: ").append(r.nextBoolean() ? String.valueOf(1 + r.nextInt(5000)) : "max").append("}\n");
            if (r.nextBoolean()) spec.append("  memory: {max: ").append(64 + r.nextInt(4000)).append("M}\n");
            if (r.nextBoolean()) spec.append("  cpu: {weight: ").append(1 + r.nextInt(10000)).append("}\n");
            spec.append("  io: {weight: ").append(1 + r.nextInt(10000)).append("}\n");
        }
        FakeCgroupV2Kernel kernel = new FakeCgroupV2Kernel(cg);
        // the controllers enabled for children in the root's subtree_control stay (others may use them)
        return new Parts(() -> new Settling<>(new CgroupReconciler(), kernel), Sandboxes.host(root), root, spec.toString(),
                Set.of(), Set.of("sys/fs/cgroup/cgroup.subtree_control"), true, () -> {
        });
    }

    /** Unit files and drop-ins under a sandbox's /etc/systemd/system, some there before; no systemd running. */
    static KindFixture unit(Path tmp, Random r) throws IOException {
        Path root = tmp.resolve("box");
        Files.createDirectories(root.resolve("etc/systemd/system"));
        for (int i = 0; i < 5; i++) {
            if (r.nextBoolean()) write(root.resolve("etc/systemd/system/u" + i + ".service"), "[Unit]\nDescription=old " + r.nextInt() + "\n");
            if (r.nextInt(4) == 0) write(root.resolve("etc/systemd/system/u" + i + ".service.d/10-x.conf"), "[Service]\nNice=" + r.nextInt(20) + "\n");
        }
        StringBuilder spec = new StringBuilder("units:\n");
        int n = 0;
        for (int i = 0; i < 5; i++) {
            if (r.nextInt(3) == 0) continue;
            n++;
            spec.append("  u").append(i).append(".service:\n    content: \"[Unit]\\nDescription=unit ").append(r.nextInt(1000))
                    .append("\\n\\n[Service]\\nExecStart=/bin/true\\n\"\n");
            if (r.nextBoolean()) {
                spec.append("    dropins:\n");
                for (int d = 0; d <= r.nextInt(2); d++) {
                    spec.append("      ").append(10 + d).append("-x.conf: \"[Service]\\nNice=").append(r.nextInt(20)).append("\\n\"\n");
                }
            }
        }
        if (n == 0) spec.append("  only.service: {content: \"[Unit]\\n\"}\n");
        return new Parts(UnitReconciler::new, Sandboxes.host(root), root, spec.toString(), Set.of(),
                Set.of(), true, () -> {
        }).withMutating(KindFixtures::systemctlChanges);
    }

    /**
     * Windows port proxies through stand-ins of netsh.exe and friends; the agent's state in the temp directory (its
     * record of the rules it owns goes with the last of them); the Windows rules are restored exactly.
     */
    static KindFixture ports(Path tmp, Random r) throws IOException {
        WindowsStandIns win = WindowsStandIns.install(tmp.resolve("win"));
        Files.createDirectories(tmp.resolve("state"));
        Host host = new Host(Path.of("/"), Path.of("/proc/sys"), Path.of("/sys/fs/cgroup"), tmp.resolve("state"),
                new Facts("dev-1", "boot-1", true, false, "dev", "/home/dev", true), new Commands());
        int base = 8000 + r.nextInt(1000);
        StringBuilder spec = new StringBuilder("- {port: " + base + ", interface: lo}\n");
        if (r.nextBoolean()) spec.append("- {port: ").append(base + 1 + r.nextInt(50)).append(", targetPort: ").append(9000 + r.nextInt(99))
                .append(", interface: lo, firewall: ").append(r.nextBoolean()).append("}\n");
        // the Windows side as the stand-ins keep it: an empty list of proxies and firewall rules, or someone else's rule
        win.write("v4tov4", r.nextBoolean() ? "0.0.0.0/7000 127.0.0.1/7000\n" : "");
        win.write("firewall", "");
        return new Parts(() -> new PortsReconciler(new WslEnvironment(win.wslEnv())), host, tmp, spec.toString(),
                Set.of("win/bin", "win/state/netsh.log", "win/state/reg.log"), Set.of(), true, () -> {
        }, Set.of("win/state/v4tov4", "win/state/firewall")).withMutating(KindFixtures::netshOrNftChanges);
    }

    /** /etc/wsl.conf with the developer's own notes and keys, in a WSL environment of stand-ins. */
    static KindFixture wsl(Path tmp, Random r) throws IOException {
        Path root = tmp.resolve("box");
        WindowsStandIns win = WindowsStandIns.install(tmp.resolve("windows"));
        Files.createDirectories(root.resolve("mnt/c/Users/dev"));
        boolean systemd = r.nextBoolean();
        StringBuilder before = new StringBuilder(r.nextBoolean() ? "# the developer's notes\n" : "");
        if (r.nextBoolean()) before.append("[boot]\nsystemd=").append(!systemd).append('\n');
        if (r.nextBoolean()) before.append("[network]\nhostname = old-").append(r.nextInt(99)).append("\ngenerateHosts=true\n");
        if (r.nextBoolean()) before.append("[interop]\n; comment\nenabled=false\nunknownKey=1\n");
        write(root.resolve("etc/wsl.conf"), before.toString());
        StringBuilder spec = new StringBuilder("conf:\n");
        spec.append("  boot: {systemd: ").append(systemd).append("}\n");
        if (r.nextBoolean()) spec.append("  network: {hostname: box-").append(r.nextInt(99)).append(", generateResolvConf: ").append(r.nextBoolean()).append("}\n");
        if (r.nextBoolean()) spec.append("  interop: {enabled: ").append(r.nextBoolean()).append(", appendWindowsPath: ").append(r.nextBoolean()).append("}\n");
        if (r.nextBoolean()) spec.append("  user: {default: dev}\n");
        // a key dropped from the profiles stays as it is in the user's file (the kind has no removal)
        return new Parts(() -> new WslReconciler(new WslEnvironment(win.wslEnv())), Sandboxes.host(root, true, false), root,
                spec.toString(), Set.of(), Set.of(), false, () -> {
        });
    }

    /** Go toolchains from a loopback mirror into a sandbox's install dir, a default and the developer's Go env. */
    static KindFixture go(Path tmp, Random r) throws IOException {
        Path root = tmp.resolve("box");
        LoopbackServer server = new LoopbackServer();
        StringBuilder listing = new StringBuilder("[");
        for (String v : List.of("1.22.5", "1.21.12")) {
            byte[] tgz = Tarballs.goToolchain(v).tarGz();
            String name = GoLayout.tarball(v);
            server.put("/dl/" + name, tgz);
            listing.append(listing.length() > 1 ? "," : "").append("{\"version\":\"go").append(v).append("\",\"stable\":true,\"files\":[{\"filename\":\"")
                    .append(name).append("\",\"os\":\"linux\",\"arch\":\"").append(GoLayout.arch()).append("\",\"sha256\":\"").append(sha256(tgz))
                    .append("\",\"size\":1,\"kind\":\"archive\"}]}");
        }
        server.put("/dl/?mode=json&include=all", listing.append("]").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (r.nextBoolean()) write(root.resolve("home/dev/.config/go/env"), "GOPROXY=https://proxy.example.com\nGOPRIVATE=old.example.com\n");
        String versions = r.nextBoolean() ? "[\"1.22.5\", \"1.21.12\"]" : "[\"1.22.5\"]";
        String spec = "versions: " + versions + "\ndefault: \"1.22.5\"\nmirror: " + server.url("/dl/") + "\ninsecure: true\nprune: true\n"
                + (r.nextBoolean() ? "env: {GOPRIVATE: \"git.example.com/*\"}\n" : "env: {GOFLAGS: \"-mod=mod\"}\n");
        Supplier<Reconciler<?, ?>> kinds = () -> new GoReconciler(new Downloader(HttpClient.newHttpClient(), Duration.ofSeconds(5), null),
                TarGzExtractor.standard());
        // toolchains are pruned only by a go section that says prune: true, so dropping the whole section leaves them
        return new Parts(kinds, Sandboxes.host(root), root, spec, Set.of(), Set.of("usr/local/go-versions"), true, server);
    }

    /**
     * Go programs built by the real go (Debian's, linked in as the sandbox's default toolchain) from a file:// module
     * proxy outside the box; some tools in a custom toolsDir, some names already taken by a file that is no Go program.
     */
    static KindFixture goTools(Path tmp, Random r) throws Exception {
        GoModuleProxy.RealGo go = GoModuleProxy.RealGo.find();
        Path root = tmp.resolve("box");
        go.linkInto(root, "/usr/local/go-versions");
        GoModuleProxy proxy = GoModuleProxy.standard(tmp.resolve("proxy"));
        String toolsDir = r.nextBoolean() ? "/usr/local/go-tools" : "/opt/tools";
        StringBuilder tools = new StringBuilder();
        int which = r.nextInt(3); // hello, greet or both
        if (which != 1) tools.append("  hello: example.test/hello@").append(r.nextBoolean() ? "v1.0.0" : "v1.1.0").append('\n');
        if (which != 0) tools.append("  greet: example.test/tools/cmd/greet@v0.2.0\n");
        if (r.nextBoolean()) write(root.resolve(toolsDir.substring(1) + "/bin/hello"), "#!/bin/sh\necho not a Go program\n");
        String spec = "versions: [\"" + go.version() + "\"]\nenv: {GOPROXY: \"" + proxy.url() + "\", GONOSUMDB: example.test}\n"
                + (toolsDir.equals("/usr/local/go-tools") && r.nextBoolean() ? "" : "toolsDir: " + toolsDir + "\n") + "tools:\n" + tools;
        // the programs stay when the whole of go.tools leaves the profiles, as toolchains do when the go section goes
        // (a tool dropped while others stay is removed: GoToolsSystemTest)
        return new Parts(GoToolsReconciler::new, Sandboxes.host(root), root, spec, Set.of(), Set.of(), false, () -> {
        });
    }

    /** Git repositories in the developer's home, some with hooks of the developer's own. */
    static KindFixture hooks(Path tmp, Random r) throws Exception {
        Path root = tmp.resolve("box");
        write(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000:Dev:/home/dev:/bin/bash\n");
        List<String> names = List.of("pre-commit", "commit-msg", "pre-push");
        int repos = 1 + r.nextInt(3);
        for (int i = 0; i < repos; i++) {
            Path repo = GitRepos.init(root.resolve("home/dev/src/r" + i));
            for (String h : names) {
                if (r.nextInt(3) == 0) {
                    Path hook = repo.resolve(".git/hooks").resolve(h);
                    write(hook, "#!/bin/sh\n# the developer's own " + r.nextInt() + "\nexit 0\n");
                    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        StringBuilder spec = new StringBuilder("repos: [\"/home/dev/src/*\"]\nhooks:\n");
        Set<String> chosen = new TreeSet<>();
        for (String h : names) if (r.nextBoolean()) chosen.add(h);
        if (chosen.isEmpty()) chosen.add("pre-commit");
        for (String h : chosen) spec.append("  ").append(h).append(": {content: \"#!/bin/sh\\n# ").append(r.nextInt(1000)).append("\\nexit 0\\n\"}\n");
        // the copies of the developer's hooks the agent moved stay in its state dir on purpose: nothing a developer
        // wrote is ever lost, whoever moves the files later
        return new Parts(HooksReconciler::new, Sandboxes.host(root), root, spec.toString(), Set.of(),
                Set.of("var/lib/devbox-agent/hook/kept"), true, () -> {
                }).withMutating(KindFixtures::gitConfigWrite);
    }

    /** A runner package from a loopback mirror whose config.sh stand-in records what GitHub would have been told. */
    static KindFixture runner(Path tmp, Random r) throws IOException {
        Path root = tmp.resolve("box");
        LoopbackServer server = new LoopbackServer();
        String version = r.nextBoolean() ? "2.330.0" : "2.331.0";
        byte[] tgz = FakeRunnerPackage.tarGz(version);
        server.put("/releases/v" + version + "/" + RunnerLayout.tarball(version), tgz);
        String token = "AZQ3RUNNERREGTOKEN7F3C9E2D1B";
        Path tokenFile = root.resolve("etc/devbox-agent/runner-token");
        write(tokenFile, token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        String spec = "url: https://github.com/acme/api\nname: dev-42\nlabels: [wsl2" + (r.nextBoolean() ? ", go" : "") + "]\nversion: \""
                + version + "\"\nsha256: " + FakeRunnerPackage.sha256(tgz) + "\nmirror: " + server.url("/releases/")
                + "\ninstallDir: /opt/actions-runner\ntokenFile: /etc/devbox-agent/runner-token\n";
        Supplier<Reconciler<?, ?>> kinds = () -> new RunnerReconciler(new Downloader(HttpClient.newHttpClient(), Duration.ofSeconds(5), null),
                TarGzExtractor.standard(), Map.of("CI_RUNNER_TOKEN", token), Path.of("/proc"), new UnitReconciler());
        return new Parts(kinds, Sandboxes.host(root), root, spec, Set.of("opt/runner-standin"),
                Set.of(), true, server)
                .withMutating(argv -> argv.get(0).endsWith("/config.sh") || argv.get(0).endsWith("/svc.sh") || systemctlChanges(argv));
    }

    /** netsh adding, deleting or setting a portproxy or firewall rule; nft other than listing. */
    static boolean netshOrNftChanges(List<String> argv) {
        String program = argv.get(0);
        if (program.endsWith("netsh.exe")) return argv.stream().anyMatch(a -> a.equals("add") || a.equals("delete") || a.equals("set"));
        return program.endsWith("nft") && argv.stream().noneMatch(a -> a.equals("list"));
    }

    /** git config writing a key (not --get, --get-all, --get-regexp or --list). */
    static boolean gitConfigWrite(List<String> argv) {
        return argv.get(0).endsWith("git") && argv.contains("config")
                && argv.stream().noneMatch(a -> a.startsWith("--get") || a.equals("--list") || a.equals("-l"));
    }

    /** systemctl changing a unit's state or systemd's view of the files. */
    static boolean systemctlChanges(List<String> argv) {
        return argv.get(0).endsWith("systemctl") && argv.stream().anyMatch(a -> Set.of("enable", "disable", "start", "stop", "restart",
                "try-restart", "reload-or-restart", "mask", "unmask", "daemon-reload", "reset-failed").contains(a));
    }

    /**
     * A sandbox that is a Debian root of its own (an empty dpkg database, apt's directories) with a local apt
     * repository built by dpkg-deb and apt-ftparchive; the real dpkg and apt install into it. Some packages are there
     * before (installed with dpkg by hand), at random versions; the profile wants each present, latest, a version,
     * absent, or does not list it.
     */
    static KindFixture packages(Path tmp, Random r) throws Exception {
        LocalAptRepo.requirePrerequisites();
        Path root = tmp.resolve("box");
        LocalAptRepo repo = new LocalAptRepo(tmp.resolve("apt"));
        Map<String, List<String>> versions = new java.util.LinkedHashMap<>();
        versions.put("devbox-t-a", List.of("1.0-1", "2.0-1"));
        versions.put("devbox-t-b", List.of("1.0-1"));
        versions.put("devbox-t-c", List.of("1:0.9-1", "1:1.0~rc1-1"));
        versions.put("devbox-t-new", List.of("3.1-2"));
        versions.put("devbox-t-old", List.of("0.1-1"));
        for (Map.Entry<String, List<String>> e : versions.entrySet()) for (String v : e.getValue()) repo.add(e.getKey(), v, null, null);
        repo.index();
        DebianRoot.make(root, repo);
        DebianRoot.update(root);
        // always one to install and one to remove, whatever the seed
        StringBuilder spec = new StringBuilder("apt:\n  devbox-t-new: present\n  devbox-t-old: absent\n");
        DebianRoot.dpkgInstall(root, repo, "devbox-t-old", "0.1-1");
        for (Map.Entry<String, List<String>> e : versions.entrySet()) {
            String name = e.getKey();
            if (name.equals("devbox-t-new") || name.equals("devbox-t-old")) continue;
            List<String> vs = e.getValue();
            if (r.nextBoolean()) DebianRoot.dpkgInstall(root, repo, name, vs.get(r.nextInt(vs.size())));
            switch (r.nextInt(5)) {
                case 0 -> spec.append("  ").append(name).append(": present\n");
                case 1 -> spec.append("  ").append(name).append(": latest\n");
                case 2 -> spec.append("  ").append(name).append(": \"").append(vs.get(r.nextInt(vs.size()))).append("\"\n");
                case 3 -> spec.append("  ").append(name).append(": absent\n");
                default -> {
                    // not listed: the agent leaves it as it is
                }
            }
        }
        // a package is left installed when the profiles drop the section (prune needs prune: true in a packages section
        // that is still there, which the system test covers)
        return new Parts(PackagesReconciler::new, Sandboxes.host(root), root, spec.toString(), Set.of(), Set.of(), false, () -> {
        });
    }

    /**
     * Whole files, blocks and git-config keys in /etc and the developer's home, some of the files there before with the
     * box's or the developer's own text: every one of those comes back byte for byte (a file replaced whole, a key's
     * value and a mode from what the agent kept, which then goes; blocks and keys the agent added go with their
     * lines), nothing is kept.
     */
    static KindFixture files(Path tmp, Random r) throws IOException {
        Path root = tmp.resolve("box");
        Set<String> before = new TreeSet<>();
        if (r.nextBoolean()) {
            write(root.resolve("etc/motd"), "the box's own motd " + r.nextInt(99) + "\n");
            Files.setPosixFilePermissions(root.resolve("etc/motd"), PosixFilePermissions.fromString(r.nextBoolean() ? "rw-------" : "rw-r--r--"));
            before.add("etc/motd");
        }
        if (r.nextBoolean()) {
            write(root.resolve("home/dev/.bashrc"), "# mine\nalias ll='ls -l'\n" + (r.nextBoolean() ? "# BEGIN devbox-agent other\nX=1\n# END devbox-agent other\n" : ""));
            before.add("home/dev/.bashrc");
        }
        if (r.nextBoolean()) {
            write(root.resolve("home/dev/.gitconfig"), "# my identity\n[user]\n\tname = Dev\n" + (r.nextBoolean() ? "[alias]\n\tst = status ; short\n" : "")
                    + (r.nextBoolean() ? "[credential]\n\thelper = cache --timeout=60 # mine\n" : ""));
            before.add("home/dev/.gitconfig");
        }
        Files.createDirectories(root.resolve("home/dev"));
        StringBuilder spec = new StringBuilder();
        spec.append("/etc/motd: {content: \"managed ").append(r.nextInt(99)).append("\\n\"").append(r.nextBoolean() ? ", mode: \"0640\"" : "").append("}\n");
        spec.append("\"${home}/.bashrc\":\n").append(r.nextBoolean() ? "  mode: \"0600\"\n" : "").append("  blocks:\n    go-path: \"export GOPATH=$HOME/go").append(r.nextInt(9)).append("\"\n");
        if (r.nextBoolean()) spec.append("    editor: \"export EDITOR=vi\\nexport PAGER=less\"\n");
        spec.append("\"${home}/.gitconfig\":\n  ini:\n    credential.helper: /usr/lib/git-core/git-credential-").append(r.nextBoolean() ? "libsecret" : "cache").append("\n");
        if (r.nextBoolean()) spec.append("    alias.lg: \"log --oneline; echo ").append(r.nextInt(9)).append("\"\n");
        if (r.nextBoolean()) spec.append("/etc/X11/xorg.conf.d/20-gpu.conf: {content: \"Section \\\"Device\\\"\\nEndSection\\n\", mode: \"0644\"}\n");
        if (r.nextBoolean()) spec.append("\"${home}/.config/devbox/env.sh\": {blocks: {a: \"A=1\"}, commentPrefix: \"//\"}\n");
        return new Parts(FilesReconciler::new, Sandboxes.host(root), root, spec.toString(), Set.of(), Set.of(), true, () -> {
        }, before);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
