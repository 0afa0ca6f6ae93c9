package io.devbox.agent.kinds.go;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Downloader;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.TarGzExtractor;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.ReconcilerDriver;
import io.devbox.agent.testing.LoopbackServer;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.Tarballs;
import io.devbox.agent.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoReconcilerTest {
    @TempDir
    Path root;
    Host host;
    LoopbackServer server;
    final Map<String, String> listing = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        host = Sandboxes.host(root);
        server = new LoopbackServer();
        serve("1.22.5", Tarballs.goToolchain("1.22.5").tarGz());
        serve("1.21.12", Tarballs.goToolchain("1.21.12").tarGz());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private void serve(String version, byte[] tgz) {
        String name = GoLayout.tarball(version);
        server.put("/dl/" + name, tgz);
        listing.put(name, sha(tgz));
        StringBuilder json = new StringBuilder("[");
        listing.forEach((file, sum) -> json.append(json.length() > 1 ? "," : "").append("{\"version\":\"go").append(file, 2, file.indexOf(".linux"))
                .append("\",\"stable\":true,\"files\":[{\"filename\":\"").append(file).append("\",\"os\":\"linux\",\"arch\":\"")
                .append(GoLayout.arch()).append("\",\"sha256\":\"").append(sum).append("\",\"size\":1,\"kind\":\"archive\"}]}"));
        server.put("/dl/?mode=json&include=all", json.append("]").toString().getBytes(StandardCharsets.UTF_8));
    }

    static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private GoReconciler reconciler() {
        return new GoReconciler(new Downloader(HttpClient.newHttpClient(), Duration.ofSeconds(2), null), TarGzExtractor.standard());
    }

    private List<GoResource> desired(GoReconciler r, String yaml) throws ProfileException {
        var ctx = new DesiredContext(new HostIdentity("dev-42", Map.of(), "dev", "/home/dev"),
                new ComposedSpec(Map.of(), List.of("go-team"), RepoFiles.NONE), host);
        return r.desired(TestNodes.yaml("profiles/go-team.yaml", yaml), ctx);
    }

    private String spec(String extra) {
        return "versions: [\"1.22.5\", \"1.21.12\"]\ndefault: \"1.22.5\"\nmirror: " + server.url("/dl/") + "\ninsecure: true\n" + extra;
    }

    private Map<String, String> converge(GoReconciler r, List<GoResource> resources) throws ResourceException {
        return ReconcilerDriver.converge(r, resources, host);
    }

    private List<Change> plan(GoReconciler r, List<GoResource> resources) throws ResourceException {
        return ReconcilerDriver.plan(r, resources, host);
    }

    private Path installDir() {
        return root.resolve("usr/local/go-versions");
    }

    private List<String> installDirContents() throws IOException {
        try (Stream<Path> s = Files.list(installDir())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void installsVersionsSetsDefaultAndEnvThenReplansEmpty() throws Exception {
        Path env = root.resolve("home/dev/.config/go/env");
        Files.createDirectories(env.getParent());
        Files.writeString(env, "GOPROXY=https://proxy.example.com\nGOPRIVATE=old.example.com\n");
        GoReconciler r = reconciler();
        List<GoResource> res = desired(r, spec("env: {GOPRIVATE: \"git.example.com/*\", GOFLAGS: \"-mod=mod\"}\n"));
        assertThat(res).extracting(GoResource::id)
                .containsExactly("go[1.22.5]", "go[1.21.12]", "go[default]", "go[env:GOPRIVATE]", "go[env:GOFLAGS]");

        List<Change> plan = plan(r, res);
        assertThat(plan).extracting(c -> c.resourceId() + " " + c.field() + " " + c.from() + " -> " + c.to()).contains(
                "go[1.22.5] installed null -> /usr/local/go-versions/go1.22.5",
                "go[default] current null -> /usr/local/go-versions/go1.22.5",
                "go[env:GOPRIVATE] value old.example.com -> git.example.com/*");
        assertThat(plan).filteredOn(c -> c.field().equals("current")).allMatch(c -> !c.disruptive());
        // the profile.d script a plan shows as a diff: nothing before, the script after
        assertThat(plan).filteredOn(c -> c.field().equals("profile.d")).singleElement().satisfies(c -> {
            assertThat(c.content().before()).isNull();
            assertThat(c.content().after()).contains("PATH=\"/usr/local/go-versions/current/bin:${PATH}\"");
        });

        assertThat(converge(r, res)).isEmpty();
        assertThat(installDirContents()).containsExactly("current", "go1.21.12", "go1.22.5");
        assertThat(Files.readSymbolicLink(installDir().resolve("current"))).isEqualTo(Path.of("go1.22.5"));
        assertThat(SystemTests.sh(List.of(installDir().resolve("current/bin/go").toString(), "version")))
                .isEqualTo("go version go1.22.5 linux/amd64\n");
        assertThat(Files.readString(installDir().resolve("go1.21.12/.devbox-agent-installed"))).contains("version=1.21.12\n");
        assertThat(Files.readString(root.resolve("etc/profile.d/devbox-go.sh")))
                .contains("PATH=\"/usr/local/go-versions/current/bin:${PATH}\"");
        // a login shell picks the default up
        String path = SystemTests.sh(List.of("sh", "-c", "PATH=/usr/bin:/bin; . " + root.resolve("etc/profile.d/devbox-go.sh") + "; . "
                + root.resolve("etc/profile.d/devbox-go.sh") + "; echo $PATH"));
        assertThat(path.strip()).isEqualTo("/usr/local/go-versions/current/bin:/usr/bin:/bin");
        assertThat(Files.readString(env)).isEqualTo("GOPROXY=https://proxy.example.com\nGOPRIVATE=git.example.com/*\nGOFLAGS=-mod=mod\n");

        // a fresh run (new reconciler, as the engine makes per run) sees nothing to do and downloads nothing
        int requests = server.requests();
        GoReconciler again = reconciler();
        assertThat(plan(again, desired(again, spec("env: {GOPRIVATE: \"git.example.com/*\", GOFLAGS: \"-mod=mod\"}\n")))).isEmpty();
        assertThat(server.requests()).isEqualTo(requests);
    }

    @Test
    void switchingTheDefaultIsAnAtomicDisruptiveSymlinkSwap() throws Exception {
        GoReconciler r = reconciler();
        assertThat(converge(r, desired(r, spec("")))).isEmpty();
        GoReconciler r2 = reconciler();
        List<GoResource> res = desired(r2, spec("").replace("default: \"1.22.5\"", "default: \"1.21.12\""));
        List<Change> plan = plan(r2, res);
        assertThat(plan).singleElement().satisfies(c -> {
            assertThat(c.resourceId()).isEqualTo("go[default]");
            assertThat(c.from()).isEqualTo("/usr/local/go-versions/go1.22.5");
            assertThat(c.to()).isEqualTo("/usr/local/go-versions/go1.21.12");
            assertThat(c.disruptive()).isTrue();
            assertThat(c.origin().line()).isEqualTo(2);
        });
        assertThat(converge(r2, res)).isEmpty();
        assertThat(Files.readSymbolicLink(installDir().resolve("current"))).isEqualTo(Path.of("go1.21.12"));
        assertThat(installDirContents()).containsExactly("current", "go1.21.12", "go1.22.5");
    }

    @Test
    void checksumsComeFromTheProfileAndAMismatchInstallsNothingButOtherVersionsProceed() throws Exception {
        String wrong = "0".repeat(64);
        GoReconciler r = reconciler();
        List<GoResource> res = desired(r, spec("checksums: {\"1.21.12\": \"" + wrong + "\"}\n"));
        Map<String, String> errors = converge(r, res);
        String actual = listing.get(GoLayout.tarball("1.21.12"));
        assertThat(errors).containsOnlyKeys("go[1.21.12]");
        assertThat(errors.get("go[1.21.12]")).contains("expected " + wrong).contains("got " + actual).contains("nothing installed");
        assertThat(installDirContents()).containsExactly("current", "go1.22.5");
    }

    @Test
    void hostileTarballsInstallNothingAndLeaveNoTemp() throws Exception {
        Map<String, byte[]> hostile = new LinkedHashMap<>();
        byte[] good = Tarballs.goToolchain("1.22.5").tarGz();
        hostile.put("truncated", Arrays.copyOf(good, good.length - 40));
        hostile.put("dotdot", Tarballs.goToolchain("1.22.5").file("go/../../../etc/cron.d/evil", "x", 0644).tarGz());
        hostile.put("absolute", Tarballs.goToolchain("1.22.5").file("/etc/cron.d/evil", "x", 0644).tarGz());
        hostile.put("symlink", Tarballs.goToolchain("1.22.5").symlink("go/pkg", "../../../../etc").tarGz());
        hostile.put("hardlink", Tarballs.goToolchain("1.22.5").hardlink("go/shadow", "../etc/shadow").tarGz());
        hostile.put("wrong version", Tarballs.goToolchain("1.22.4").tarGz());
        for (var e : hostile.entrySet()) {
            serve("1.22.5", e.getValue()); // the listing vouches for it: only the archive itself is hostile
            GoReconciler r = reconciler();
            Map<String, String> errors = converge(r, desired(r, "versions: [\"1.22.5\"]\nmirror: " + server.url("/dl/") + "\ninsecure: true\n"));
            assertThat(errors).as(e.getKey()).containsKey("go[1.22.5]");
            assertThat(errors.get("go[1.22.5]")).as(e.getKey()).contains("nothing installed");
            assertThat(installDirContents()).as(e.getKey()).isEmpty();
            assertThat(root.resolve("etc/cron.d")).doesNotExist();
        }
    }

    @Test
    void mirrorDyingMidDownloadInstallsNothingAndTheNextRunCleansUp() throws Exception {
        server.dieAfter("/dl/" + GoLayout.tarball("1.22.5"), 100);
        GoReconciler r = reconciler();
        String yaml = "versions: [\"1.22.5\"]\nmirror: " + server.url("/dl/") + "\ninsecure: true\n";
        Map<String, String> errors = converge(r, desired(r, yaml));
        assertThat(errors.get("go[1.22.5]")).contains(GoLayout.tarball("1.22.5")).contains("nothing installed");
        assertThat(installDirContents()).isEmpty();

        // what a run killed with SIGKILL leaves: a partial download and a half-extracted tree under temp names
        Files.writeString(installDir().resolve(AtomicFiles.TEMP_PREFIX + "download-123.part"), "partial");
        Files.createDirectories(installDir().resolve(AtomicFiles.TEMP_PREFIX + "extract-456/bin"));
        Files.writeString(installDir().resolve(AtomicFiles.TEMP_PREFIX + "extract-456/bin/go"), "#!/bin/sh\n");
        GoReconciler probeOnly = reconciler();
        assertThat(plan(probeOnly, desired(probeOnly, yaml))).extracting(Change::resourceId).containsExactly("go[1.22.5]", "go[default]", "go[default]");

        server.close();
        server = new LoopbackServer();
        serve("1.22.5", Tarballs.goToolchain("1.22.5").tarGz());
        GoReconciler next = reconciler();
        yaml = "versions: [\"1.22.5\"]\nmirror: " + server.url("/dl/") + "\ninsecure: true\n";
        assertThat(converge(next, desired(next, yaml))).isEmpty();
        assertThat(installDirContents()).containsExactly("current", "go1.22.5");
    }

    @Test
    void aDirectoryWithoutTheMarkerOrWithTheWrongGoDoesNotCountAsInstalled() throws Exception {
        Path dir = installDir().resolve("go1.22.5");
        Path fake = root.resolve("fake.tgz");
        Files.write(fake, Tarballs.goToolchain("1.22.4").tarGz());
        TarGzExtractor.standard().extractTo(fake, dir, 1);
        GoReconciler r = reconciler();
        List<GoResource> res = desired(r, "versions: [\"1.22.5\"]\nmirror: " + server.url("/dl/") + "\ninsecure: true\n");
        assertThat(r.diff(res.get(0), r.probe(res.get(0), host))).singleElement()
                .extracting(Change::from).isEqualTo("present but not installed by devbox-agent (bin/go version reports 'go version go1.22.4 linux/amd64')");
        assertThatThrownBy(() -> r.apply(res.get(0), r.diff(res.get(0), r.probe(res.get(0), host)).get(0), host))
                .isInstanceOf(ResourceException.class).hasMessageContaining("not installed by devbox-agent");

        // our marker, but the toolchain inside was damaged: it is reinstalled
        Files.writeString(dir.resolve(GoLayout.MARKER), "version=1.22.5\n");
        assertThat(r.diff(res.get(0), r.probe(res.get(0), host))).singleElement()
                .extracting(Change::from).asString().startsWith("incomplete (bin/go version reports");
        assertThat(converge(r, res)).isEmpty();
        assertThat(SystemTests.sh(List.of(dir.resolve("bin/go").toString(), "version"))).contains("go1.22.5");
    }

    @Test
    void pruneRemovesOnlyVersionsTheAgentInstalled() throws Exception {
        GoReconciler r = reconciler();
        List<GoResource> res = desired(r, spec(""));
        assertThat(converge(r, res)).isEmpty();
        Path foreign = installDir().resolve("go1.20.1");
        Files.createDirectories(foreign.resolve("bin"));

        // without prune: true, nothing is removed
        GoReconciler noPrune = reconciler();
        desired(noPrune, "versions: [\"1.22.5\"]\nmirror: " + server.url("/dl/") + "\ninsecure: true\n");
        assertThat(noPrune.removal("go[1.21.12]", Map.of("installed@persisted", "/usr/local/go-versions/go1.21.12"))).isEmpty();

        GoReconciler prune = reconciler();
        List<GoResource> kept = desired(prune, "versions: [\"1.22.5\"]\nprune: true\nmirror: " + server.url("/dl/") + "\ninsecure: true\n");
        GoResource gone = prune.removal("go[1.21.12]", Map.of("installed@persisted", "/usr/local/go-versions/go1.21.12")).orElseThrow();
        GoResource notOurs = prune.removal("go[1.20.1]", Map.of("installed@persisted", "/usr/local/go-versions/go1.20.1")).orElseThrow();
        assertThat(prune.diff(gone, prune.probe(gone, host))).singleElement().satisfies(c -> {
            assertThat(c.from()).isEqualTo("/usr/local/go-versions/go1.21.12");
            assertThat(c.to()).isNull();
        });
        assertThat(prune.diff(notOurs, prune.probe(notOurs, host))).isEmpty();
        List<GoResource> all = new ArrayList<>(kept);
        all.add(gone);
        all.add(notOurs);
        assertThat(converge(prune, all)).isEmpty();
        assertThat(installDirContents()).containsExactly("current", "go1.20.1", "go1.22.5");
    }

    @Test
    void envKeyRemovalKeepsOtherKeysAndDefaultRemovalRemovesSymlinkAndScript() throws Exception {
        GoReconciler r = reconciler();
        assertThat(converge(r, desired(r, spec("env: {GOPRIVATE: \"git.example.com/*\", GOFLAGS: \"-mod=mod\"}\n")))).isEmpty();
        Path env = root.resolve("home/dev/.config/go/env");
        Files.writeString(env, Files.readString(env) + "GOBIN=/home/dev/bin\n");

        GoReconciler next = reconciler();
        List<GoResource> res = new ArrayList<>();
        res.add(next.removal("go[env:GOFLAGS]", Map.of("value@persisted", "-mod=mod")).orElseThrow());
        res.add(next.removal("go[default]", Map.of("current@persisted", "/usr/local/go-versions/go1.22.5")).orElseThrow());
        assertThat(res).allMatch(g -> g.presence().isAbsent());
        assertThat(plan(next, res)).extracting(c -> c.field() + " " + c.to()).containsExactlyInAnyOrder("value null", "current null", "profile.d null");
        assertThat(plan(next, res)).extracting(c -> c.op().getClass().getSimpleName())
                .containsExactlyInAnyOrder("UnsetEnv", "RemoveCurrent", "DeleteScript");
        assertThat(converge(next, res)).isEmpty();
        assertThat(Files.readString(env)).isEqualTo("GOPRIVATE=git.example.com/*\nGOBIN=/home/dev/bin\n");
        assertThat(installDir().resolve("current")).doesNotExist();
        assertThat(root.resolve("etc/profile.d/devbox-go.sh")).doesNotExist();
        assertThat(installDir().resolve("go1.22.5")).isDirectory();
    }

    @Test
    void theEnvFileBelongsToTheDeveloperWhenTheAgentRunsAsRoot() throws Exception {
        SystemTests.requireRoot();
        // "nobody" stands in for the developer: an account that exists on every Debian box
        Host asRoot = Sandboxes.host(root, "nobody", "/home/dev");
        Files.createDirectories(root.resolve("home/dev"));
        GoReconciler r = reconciler();
        var ctx = new DesiredContext(new HostIdentity("dev-42", Map.of(), "nobody", "/home/dev"),
                new ComposedSpec(Map.of(), List.of("go-team"), RepoFiles.NONE), asRoot);
        List<GoResource> env = r.desired(TestNodes.yaml("p.yaml", "versions: [\"1.22.5\"]\nenv: {GOPRIVATE: x}\n"), ctx)
                .stream().filter(g -> g instanceof GoResource.EnvKey).toList();
        for (GoResource d : env) for (Change c : r.diff(d, r.probe(d, asRoot))) r.apply(d, c, asRoot);
        for (String p : List.of("home/dev/.config", "home/dev/.config/go", "home/dev/.config/go/env")) {
            assertThat(Files.getOwner(root.resolve(p)).getName()).as(p).isEqualTo("nobody");
        }
        assertThat(Files.getOwner(root.resolve("home/dev")).getName()).isEqualTo("root");
        assertThat(Files.readString(root.resolve("home/dev/.config/go/env"))).isEqualTo("GOPRIVATE=x\n");
    }

    @Test
    void offlineDirectoryMirrorWithIndexJson() throws Exception {
        Path mirror = root.resolve("srv/go-mirror");
        Files.createDirectories(mirror);
        byte[] tgz = Tarballs.goToolchain("1.22.5").tarGz();
        Files.write(mirror.resolve(GoLayout.tarball("1.22.5")), tgz);
        Files.writeString(mirror.resolve("index.json"), "[{\"version\":\"go1.22.5\",\"files\":[{\"filename\":\"" + GoLayout.tarball("1.22.5")
                + "\",\"sha256\":\"" + sha(tgz) + "\"}]}]");
        for (String m : List.of(mirror.toString(), mirror.toUri().toString())) {
            GoReconciler r = reconciler();
            assertThat(converge(r, desired(r, "versions: [\"1.22.5\"]\nmirror: " + m + "\ninstallDir: /opt/go\n"))).isEmpty();
            assertThat(SystemTests.sh(List.of(root.resolve("opt/go/current/bin/go").toString(), "version"))).contains("go1.22.5");
        }
    }

    @Test
    void semanticErrorsAreLocated() {
        GoReconciler r = reconciler();
        assertThatThrownBy(() -> desired(r, "versions: [\"1.22.5\"]\ndefault: \"1.21.0\"\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(err -> assertThat(err.render()).isEqualTo("profiles/go-team.yaml:2:10: go.default 1.21.0 is not one of go.versions [1.22.5]")));
        // an installDir that a variable (a home from the user database) fills with shell text: it would land in profile.d
        assertThatThrownBy(() -> desired(r, "versions: [\"1.22.5\"]\ninstallDir: \"/opt/go\\\"$(id)\"\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).singleElement().satisfies(err ->
                        assertThat(err.render()).startsWith("profiles/go-team.yaml:2:13: go.installDir: only letters, digits and ._+@-/")));
        // Go versions, sha256 sums and env names are the schema's (kinds/SchemaStatedValuesTest)
        assertThatThrownBy(() -> desired(r, "versions:\n  - \"1.21.12\"\n  - \"1.22.5\"\n  - \"1.22.5\"\n"
                + "installDir: /usr/../etc\nenv: {GOFLAGS: x}\nmirror: ftp://x\n"))
                .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.errors()).extracting(err -> err.render()).containsExactly(
                        "profiles/go-team.yaml:4:5: go version 1.22.5 is listed twice (first at profiles/go-team.yaml:3)",
                        "profiles/go-team.yaml:5:13: go.installDir: path may not contain '..': usr/../etc",
                        "profiles/go-team.yaml:7:9: go.mirror must be an http(s):// or file:/// URL or an absolute directory, not ftp://x"));
    }

    @Test
    void diffIsPure() {
        GoReconciler r = reconciler();
        var v = new GoResource.Version("1.22.5", "/usr/local/go-versions", io.devbox.agent.engine.Presence.PRESENT, "https://go.dev/dl/", null, null);
        assertThat(r.diff(v, new GoObserved.VersionState(true, true, null))).isEmpty();
        assertThat(r.diff(v, new GoObserved.VersionState(false, false, null))).singleElement().extracting(Change::to)
                .isEqualTo("/usr/local/go-versions/go1.22.5");
        assertThat(r.diff(v, new GoObserved.VersionState(false, false, null))).singleElement().extracting(Change::op)
                .isEqualTo(new GoOp.InstallVersion(null, "/usr/local/go-versions/go1.22.5"));
        var gone = new GoResource.Version("1.22.5", "/usr/local/go-versions", io.devbox.agent.engine.Presence.absent(Map.of()), "https://go.dev/dl/", null, null);
        assertThat(r.diff(gone, new GoObserved.VersionState(true, false, null))).isEmpty();
        assertThat(r.diff(gone, new GoObserved.VersionState(true, true, "bin/go is missing"))).singleElement()
                .extracting(Change::from).isEqualTo("incomplete (bin/go is missing)");
        assertThat(r.diff(gone, new GoObserved.VersionState(true, true, null))).singleElement().extracting(Change::op)
                .isEqualTo(new GoOp.RemoveVersion("/usr/local/go-versions/go1.22.5"));
        var d = new GoResource.Default("1.22.5", "/opt/go", null);
        assertThat(r.diff(d, new GoObserved.DefaultState("/opt/go/go1.22.5", GoLayout.fingerprint(GoLayout.profileScript("/opt/go"))))).isEmpty();
        assertThat(r.diff(d, new GoObserved.DefaultState("/opt/go/go1.21.0", GoLayout.fingerprint(GoLayout.profileScript("/opt/go")))))
                .singleElement().matches(Change::disruptive)
                .extracting(Change::op).isEqualTo(new GoOp.SetCurrent("/opt/go/go1.21.0", "/opt/go/go1.22.5"));
        var env = new GoResource.EnvKey("GOPROXY", "https://bob:s3cret@proxy.example.com", null, List.of());
        Change proxy = r.diff(env, new GoObserved.EnvState(null)).get(0);
        // apply gets the value itself; everything shown (and its toString) masks the credential
        assertThat(proxy.op()).isEqualTo(new GoOp.SetEnv(null, "https://bob:s3cret@proxy.example.com"));
        assertThat(proxy.to()).doesNotContain("s3cret");
        assertThat(proxy.toString()).doesNotContain("s3cret");
        assertThat(GoEnvFile.set("A=1\nB=2\nA=3\n", "A", "9")).isEqualTo("A=9\nB=2\n");
        assertThat(GoEnvFile.set("", "A", "9")).isEqualTo("A=9\n");
        assertThat(GoEnvFile.set("A=1\n", "A", null)).isEmpty();
        assertThat(GoEnvFile.get("# c\nA=1\nA=2\n", "A")).isEqualTo("1");
        assertThat(GoInstaller.listingUrl("https://go.dev/dl/")).isEqualTo("https://go.dev/dl/?mode=json&include=all");
        assertThat(GoInstaller.listingUrl("https://mirror.example.com/go")).isEqualTo("https://mirror.example.com/go/?mode=json&include=all");
        assertThat(GoInstaller.listingUrl("/srv/go")).isEqualTo("/srv/go/index.json");
    }
}
