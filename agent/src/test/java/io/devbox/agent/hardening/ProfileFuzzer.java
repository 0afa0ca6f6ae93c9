package io.devbox.agent.hardening;

import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.engine.AppliedState;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.InternalFault;
import io.devbox.agent.engine.KindRegistry;
import io.devbox.agent.engine.Plan;
import io.devbox.agent.engine.Planner;
import io.devbox.agent.host.Commands;
import io.devbox.agent.host.Facts;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileFile;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.profile.ValidationCache;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Mutation fuzzing of profiles (not in CI; {@code bench/fuzz-profiles.sh SECONDS [SEED]}): valid profiles are
 * mutated (bytes flipped, inserted, deleted; lines duplicated, swapped, re-indented; YAML and path tokens spliced in;
 * numbers made huge or negative) and each mutant is parsed, validated, composed, checked by every kind and planned
 * against a sandbox box, as {@code agent plan} does. A crash is any throwable other than {@link ProfileException},
 * and so is a kind's internal error in the plan (an unexpected exception the planner turned into an error line);
 * a hang is a mutant that takes longer than 5 s. Findings are written to {@code agent/target/fuzz-findings/} and the exit code is 1.
 */
public final class ProfileFuzzer {
    static final Duration HANG = Duration.ofSeconds(5);
    private static final String[] TOKENS = {"&a ", "*a", "<<: ", "!!binary ", "!!python/object ", "{", "}", "[", "]", "\t", "\u0000",
            "${", "${hostname}", "${label.x}", "$${", "..", "../", "/", "\n", "\r\n", ": ", "- ", "? ", "|\n", ">-\n", "#", "\"", "'",
            "\\", "~", "null", "-1", "0", "99999999999999999999999999", "1e309", "0x7fffffff", "0o777", ".inf", "NaN", "true",
            "yes", "\uFEFF", "\u2028", "\u00e9", "%", "@", "`", "key: value", "dependsOn: [\"cgroup[a.slice]\"]", "file: x", "priority: "};

    private ProfileFuzzer() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 60;
        long seed = args.length > 1 && !args[1].isBlank() ? Long.parseLong(args[1]) : System.nanoTime();
        Path work = Files.createTempDirectory("devbox-fuzz");
        Path out = Path.of(System.getProperty("fuzz.out", "agent/target/fuzz-findings"));
        List<byte[]> seeds = seeds();
        Host host = host(Sandbox.box(work.resolve("box")), work.resolve("state"));
        Random random = new Random(seed);
        ExecutorService pool = Executors.newSingleThreadExecutor(ProfileFuzzer::daemon);
        Instant end = Instant.now().plusSeconds(seconds);
        long mutants = 0;
        long refused = 0;
        int crashes = 0;
        int hangs = 0;
        long slowest = 0;
        System.out.printf("fuzzing %d seed profiles for %d s, seed %d%n", seeds.size(), seconds, seed);
        while (Instant.now().isBefore(end)) {
            byte[] mutant = mutate(seeds.get(random.nextInt(seeds.size())), random);
            mutants++;
            long t0 = System.nanoTime();
            Future<Boolean> f = pool.submit(() -> plan(mutant, host));
            try {
                if (!f.get(HANG.toMillis(), TimeUnit.MILLISECONDS)) refused++;
            } catch (TimeoutException e) {
                hangs++;
                f.cancel(true);
                pool.shutdownNow();
                pool = Executors.newSingleThreadExecutor(ProfileFuzzer::daemon);
                save(out, "hang", mutants, mutant, "took longer than " + HANG.toSeconds() + " s");
            } catch (java.util.concurrent.ExecutionException e) {
                crashes++;
                StringWriter trace = new StringWriter();
                e.getCause().printStackTrace(new PrintWriter(trace));
                save(out, "crash", mutants, mutant, trace.toString());
            }
            slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
        }
        pool.shutdownNow();
        System.out.printf("%d mutants in %d s (%d refused with located errors, %d accepted): %d crashes, %d hangs; slowest %d ms%n",
                mutants, seconds, refused, mutants - refused - crashes - hangs, crashes, hangs, slowest);
        System.exit(crashes + hangs == 0 ? 0 : 1);
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "fuzz");
        t.setDaemon(true);
        return t;
    }

    /** True when the mutant was accepted and planned, false when it was refused with located errors. */
    static boolean plan(byte[] mutant, Host host) throws Exception {
        List<ProfileFile> files = List.of(new ProfileFile("profiles/fuzz.yaml", mutant));
        HostIdentity id = new HostIdentity("dev-1", Map.of("team", "backend"), "dev", "/home/dev");
        try {
            ProfileLoader loader = new ProfileLoader(ValidationCache.NONE, io.devbox.agent.kinds.Kinds.schema());
            loader.parse(files);
            ComposedSpec spec = loader.load(files, id, REPO_FILES);
            Planner planner = new Planner(Kinds.registry().newRun(), host, AppliedState.empty(), r -> Optional.empty());
            planner.check(new DesiredContext(id, spec, host));
            Plan plan = planner.plan(new DesiredContext(id, spec, host), Set.of());
            for (InternalFault f : plan.internalFaults()) {
                // a kind's bug is a finding, not a handled error of the profile
                throw new IllegalStateException("internal error in " + f.resourceId() + " (" + f.during() + ")", f.error());
            }
            return true;
        } catch (ProfileException e) {
            for (var err : e.errors()) {
                String line = err.render();
                if (line.contains("\n") || line.contains("Exception")) throw new IllegalStateException("badly rendered error: " + line);
            }
            return false;
        }
    }

    /** The repository's own files (hooks/pre-commit.sh of the bundled profiles), for {@code file:} references. */
    private static final RepoFiles REPO_FILES = path -> {
        Path f = repoRoot().resolve(path).normalize();
        return f.startsWith(repoRoot().toAbsolutePath().normalize()) && Files.isRegularFile(f)
                ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
    };

    private static Path repoRoot() {
        return (Files.isDirectory(Path.of("profiles")) ? Path.of("") : Path.of("..")).toAbsolutePath().normalize();
    }

    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed;
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds; i++) b = mutateOnce(b, r);
        return b;
    }

    private static byte[] mutateOnce(byte[] b, Random r) {
        if (b.length == 0) return TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
        int at = r.nextInt(b.length);
        switch (r.nextInt(8)) {
            case 0 -> {
                byte[] c = b.clone();
                c[at] = (byte) (c[at] ^ (1 << r.nextInt(8)));
                return c;
            }
            case 1 -> {
                return splice(b, at, at, TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
            }
            case 2 -> {
                return splice(b, at, Math.min(b.length, at + 1 + r.nextInt(16)), new byte[0]);
            }
            case 3 -> {
                byte[] rnd = new byte[1 + r.nextInt(8)];
                r.nextBytes(rnd);
                return splice(b, at, at, rnd);
            }
            default -> {
                List<String> lines = new ArrayList<>(List.of(new String(b, StandardCharsets.UTF_8).split("\n", -1)));
                int i = r.nextInt(lines.size());
                int j = r.nextInt(lines.size());
                switch (r.nextInt(5)) {
                    case 0 -> lines.add(j, lines.get(i));
                    case 1 -> {
                        String t = lines.get(i);
                        lines.set(i, lines.get(j));
                        lines.set(j, t);
                    }
                    case 2 -> lines.set(i, " ".repeat(r.nextInt(6)) + lines.get(i).stripLeading());
                    case 3 -> lines.set(i, lines.get(i).replaceAll("[0-9]+", r.nextBoolean() ? "-" + r.nextInt(1000) : "9".repeat(1 + r.nextInt(30))));
                    default -> lines.remove(i);
                }
                return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] c = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, c, 0, from);
        System.arraycopy(insert, 0, c, from, insert.length);
        System.arraycopy(b, to, c, from + insert.length, b.length - to);
        return c;
    }

    static List<byte[]> seeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Path dir = repoRoot().resolve("profiles");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) seeds.add(Files.readAllBytes(p));
            }
        }
        seeds.add(BigFleet.profile(3).getBytes(StandardCharsets.UTF_8));
        seeds.add(ALL_KINDS.getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    static final String ALL_KINDS = String.format(HostileCase.HEADER, "all") + """
            selector: {hostnames: ["dev-*"], labels: {team: backend}}
            priority: 10
            spec:
              sysctl: {vm.swappiness: 10, net.ipv4.ip_local_port_range: "20000 60999"}
              cgroups:
                build.slice: {memory: {max: 8G, high: 6G}, cpu: {max: "150%%", weight: 200}, io: {weight: 150}, pids: {max: 4096}}
                work.slice/jobs: {pids: {max: max}, dependsOn: ["cgroup[build.slice]"]}
              systemd:
                units:
                  cache-warm.service: {content: "[Unit]\\nDescription=x\\n", dropins: {10-limits.conf: "[Service]\\nNice=5\\n"}, enabled: true, state: started}
              go: {versions: ["1.22.5", "1.21.12"], default: "1.22.5", checksums: {"1.22.5": "%s"}, env: {GOPRIVATE: "git.example.com/*"}, prune: true}
              hooks: {repos: ["${home}/src/*"], hooks: {pre-commit: {content: "#!/bin/sh\\nexit 0\\n"}}}
              runner: {url: "https://github.com/acme/api", name: "${hostname}", labels: [wsl2], version: "2.330.0", sha256: "%s", tokenFile: /etc/devbox-agent/runner-token}
              ports: [{port: 8080, targetPort: 8080, firewall: true}]
              wsl: {conf: {boot: {systemd: true}, network: {hostname: "${hostname}"}}, wslconfig: {wsl2: {memory: 8GB, processors: 4}}}
            """.formatted("a".repeat(64), "b".repeat(64));

    static Host host(Path root, Path state) throws IOException {
        Files.createDirectories(state);
        Facts facts = new Facts("dev-1", "boot", false, false, "dev", "/home/dev", false);
        return new Host(root, root.resolve("proc/sys"), root.resolve("sys/fs/cgroup"), state, facts, new Commands());
    }

    private static void save(Path out, String kind, long n, byte[] mutant, String why) throws IOException {
        Files.createDirectories(out);
        Files.write(out.resolve(kind + "-" + n + ".yaml"), mutant);
        Files.writeString(out.resolve(kind + "-" + n + ".txt"), why);
        System.out.println(kind + " #" + n + ": " + why.lines().findFirst().orElse(""));
    }
}
