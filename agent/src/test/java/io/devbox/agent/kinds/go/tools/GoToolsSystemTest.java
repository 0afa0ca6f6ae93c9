package io.devbox.agent.kinds.go.tools;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.GoModuleProxy;
import io.devbox.agent.testing.ReconcilerDriver;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.SystemTests;
import io.devbox.agent.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * go.tools with the real {@code go} (Debian's golang-go, 1.19) against a {@code file://} GOPROXY directory the test
 * writes ({@link GoModuleProxy}), on a --root sandbox whose default toolchain directory holds a link to that go; root
 * builds (the tools directory is root's). The steps build on each other, in order. The developer's own tools
 * directory, built as the developer through the built jar, is {@link GoToolsPrivilegeSystemTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GoToolsSystemTest {
    private Path root;
    private GoModuleProxy proxy;
    private Host host;
    private GoModuleProxy.RealGo go;
    private final GoToolsReconciler kind = new GoToolsReconciler();

    @BeforeAll
    void setUp() throws Exception {
        SystemTests.requireRoot();
        go = GoModuleProxy.RealGo.find();
        root = Files.createTempDirectory("devbox-gotools");
        host = Sandboxes.host(root);
        go.linkInto(root, "/usr/local/go-versions");
        proxy = GoModuleProxy.standard(root.resolve("srv/goproxy"));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (root == null) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private List<GoToolResource> desired(String tools) throws ProfileException {
        return desired(tools, "");
    }

    private List<GoToolResource> desired(String tools, String extra) throws ProfileException {
        String yaml = "versions: [\"" + go.version() + "\"]\nenv: {GOPROXY: \"" + proxy.url() + "\", GONOSUMDB: example.test}\n"
                + extra + "tools:\n" + tools.indent(2);
        var ctx = new DesiredContext(new HostIdentity("dev-42", Map.of(), "dev", "/home/dev"),
                new ComposedSpec(Map.of(), List.of("p"), RepoFiles.NONE), host);
        return kind.desired(TestNodes.yaml("profiles/p.yaml", yaml), ctx);
    }

    private void converge(GoToolResource d) throws ResourceException {
        ReconcilerDriver.apply(kind, d, host);
        assertThat(ReconcilerDriver.plan(kind, d, host)).as("re-plan of " + d.id()).isEmpty();
    }

    private String run(String tool) throws Exception {
        return SystemTests.sh(List.of(root.resolve("usr/local/go-tools/bin").resolve(tool).toString())).strip();
    }

    @Test
    @Order(1)
    void aToolIsBuiltFromTheProxyWithTheDefaultToolchain() throws Exception {
        GoToolResource hello = desired("hello: example.test/hello@v1.0.0").get(0);
        assertThat(hello.id()).isEqualTo("gotool[hello]");
        assertThat(ReconcilerDriver.plan(kind, hello, host)).singleElement().satisfies(c -> {
            assertThat(c.op()).isEqualTo(new GoToolOp.Install(null, "example.test/hello@v1.0.0"));
            assertThat(c.field()).isEqualTo("module");
        });
        converge(hello);
        assertThat(run("hello")).isEqualTo("hello v1.0.0");
        String info = SystemTests.sh(List.of("go", "version", "-m", root.resolve("usr/local/go-tools/bin/hello").toString()));
        assertThat(info).contains(": go" + go.version(), "\tpath\texample.test/hello", "\tmod\texample.test/hello\tv1.0.0");
        assertThat(Files.getPosixFilePermissions(root.resolve("usr/local/go-tools/bin/hello"))).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        // nothing left beside bin/; root's module and build cache is in the agent's state directory
        try (Stream<Path> s = Files.list(root.resolve("usr/local/go-tools"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("bin");
        }
        assertThat(root.resolve("var/lib/devbox-agent/gotools/gopath/pkg/mod/cache/download/example.test/hello/@v/v1.0.0.zip")).exists();
    }

    @Test
    @Order(2)
    void aNewVersionRebuildsAndAFailedBuildKeepsTheOldBinary() throws Exception {
        converge(desired("hello: example.test/hello@v1.1.0").get(0));
        assertThat(run("hello")).isEqualTo("hello v1.1.0");
        for (String broken : List.of("v9.9.9", "v1.2.0")) { // not in the proxy; fetched but does not compile
            GoToolResource d = desired("hello: example.test/hello@" + broken).get(0);
            List<Change> plan = ReconcilerDriver.plan(kind, d, host);
            assertThat(plan).singleElement().satisfies(c -> assertThat(c.from()).isEqualTo("example.test/hello@v1.1.0"));
            assertThatThrownBy(() -> kind.apply(d, plan.get(0), host)).isInstanceOf(ResourceException.class)
                    .hasMessageContaining("go install example.test/hello@" + broken + " failed (the binary in place, if any, stays)")
                    .hasMessageContaining(broken.equals("v1.2.0") ? "undefined: undefined" : "v9.9.9");
            assertThat(run("hello")).isEqualTo("hello v1.1.0");
        }
        try (Stream<Path> s = Files.list(root.resolve("usr/local/go-tools"))) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no temp directory left").containsExactly("bin");
        }
    }

    @Test
    @Order(3)
    void aCommandInASubdirectoryOfItsModule() throws Exception {
        GoToolResource greet = desired("greet: example.test/tools/cmd/greet@v0.2.0").get(0);
        converge(greet);
        assertThat(run("greet")).isEqualTo("greetings");
        assertThat(kind.probe(greet, host)).isEqualTo(new GoToolObserved(true, "example.test/tools/cmd/greet@v0.2.0", "go" + go.version()));
    }

    @Test
    @Order(4)
    void aFileThatIsNoGoProgramOrALinkIsReplacedNotFollowed() throws Exception {
        Path bin = root.resolve("usr/local/go-tools/bin");
        Files.writeString(bin.resolve("other"), "#!/bin/sh\necho other\n");
        Path target = Files.writeString(root.resolve("srv/target"), "keep\n");
        Files.createSymbolicLink(bin.resolve("hello2"), target);
        GoToolResource other = new GoToolResource("other", "example.test/hello", "v1.0.0", "/usr/local/go-tools", "/usr/local/go-versions",
                go.version(), Map.of(), io.devbox.agent.engine.Presence.PRESENT, null);
        assertThat(kind.probe(other, host)).isEqualTo(new GoToolObserved(true, "not a Go program", null));
        GoToolResource linked = new GoToolResource("hello2", "example.test/hello", "v1.0.0", "/usr/local/go-tools", "/usr/local/go-versions",
                go.version(), Map.of(), io.devbox.agent.engine.Presence.PRESENT, null);
        assertThat(kind.probe(linked, host)).isEqualTo(new GoToolObserved(true, "not a regular file", null));
        assertThat(Files.readString(target)).isEqualTo("keep\n");
        Files.delete(bin.resolve("other"));
        Files.delete(bin.resolve("hello2"));
    }

    @Test
    @Order(5)
    void aToolThatLeavesTheProfilesGoesOnlyWhileItIsWhatTheAgentBuilt() throws Exception {
        desired("greet: example.test/tools/cmd/greet@v0.2.0"); // hello is no longer listed
        GoToolResource gone = kind.removal("gotool[hello]", Map.of("module@persisted", "example.test/hello@v1.1.0")).orElseThrow();
        assertThat(gone.presence().isAbsent()).isTrue();
        assertThat(ReconcilerDriver.plan(kind, gone, host)).singleElement()
                .satisfies(c -> assertThat(c.op()).isEqualTo(new GoToolOp.Remove("example.test/hello@v1.1.0")));
        ReconcilerDriver.apply(kind, gone, host);
        assertThat(root.resolve("usr/local/go-tools/bin/hello")).doesNotExist();
        // a program someone else put there under that name is not the agent's to remove
        Files.copy(root.resolve("usr/local/go-tools/bin/greet"), root.resolve("usr/local/go-tools/bin/hello"));
        assertThat(ReconcilerDriver.plan(kind, gone, host)).isEmpty();
        // the whole of go.tools gone: the programs stay (as toolchains do when the go section goes)
        kind.desired(TestNodes.yaml("profiles/p.yaml", "versions: [\"" + go.version() + "\"]\n"),
                new DesiredContext(new HostIdentity("dev-42", Map.of(), "dev", "/home/dev"), new ComposedSpec(Map.of(), List.of("p"), RepoFiles.NONE), host));
        assertThat(kind.removal("gotool[greet]", Map.of("module@persisted", "example.test/tools/cmd/greet@v0.2.0"))).isEmpty();
    }

    @Test
    @Order(6)
    void aNewDefaultToolchainIsAPlannedRebuild() throws Exception {
        // a new default toolchain (a wrapper of the same go: go version -m reports the toolchain that built a binary,
        // whichever go reads it)
        Path other = Files.createDirectories(root.resolve("usr/local/go-versions/go1.99.0/bin"));
        Path script = other.resolve("go");
        Files.writeString(script, "#!/bin/sh\nexec " + go.binary() + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            GoToolResource greet = desired("greet: example.test/tools/cmd/greet@v0.2.0").get(0);
            GoToolResource newer = new GoToolResource(greet.name(), greet.pkg(), greet.version(), greet.toolsDir(), greet.installDir(), "1.99.0",
                    greet.env(), greet.presence(), greet.origin());
            assertThat(ReconcilerDriver.plan(kind, newer, host)).singleElement().satisfies(c -> {
                assertThat(c.op()).isEqualTo(new GoToolOp.Rebuild("go" + go.version(), "go1.99.0"));
                assertThat(c.field()).isEqualTo("toolchain");
            });
        } finally {
            Files.delete(script);
        }
    }

    @Test
    @Order(7)
    void aToolsDirectoryOthersCanWriteIsRefusedAtItsLine() throws Exception {
        Path shared = Files.createDirectories(root.resolve("srv/shared"));
        SystemTests.sh(List.of("chmod", "1777", shared.toString()));
        assertThat(errors("hello: example.test/hello@v1.0.0", "toolsDir: /srv/shared/tools\n")).singleElement().asString()
                .startsWith("profiles/p.yaml:3:11: go.toolsDir /srv/shared/tools is not root's alone (/srv/shared is writable by others (mode 1777))");
        Path theirs = Files.createDirectories(root.resolve("opt/theirs"));
        Files.setAttribute(theirs, "unix:uid", 54321);
        assertThat(errors("hello: example.test/hello@v1.0.0", "toolsDir: /opt/theirs/tools\n")).singleElement().asString()
                .contains("go.toolsDir /opt/theirs/tools is not root's alone (", "and not in the developer's home (/home/dev)");
        assertThat(shared.resolve("tools")).doesNotExist();
        assertThat(theirs.resolve("tools")).doesNotExist();
    }

    @Test
    @Order(8)
    void aNameThatIsNotTheProgramsIsALocatedError() {
        assertThat(errors("lint: github.com/golangci/golangci-lint/cmd/golangci-lint@v1.59.1", "")).singleElement().asString()
                .isEqualTo("profiles/p.yaml:4:3: go.tools.lint: go install names the program of github.com/golangci/golangci-lint/cmd/golangci-lint "
                        + "'golangci-lint'; use that as its name");
    }

    private List<String> errors(String tools, String extra) {
        try {
            desired(tools, extra);
            throw new AssertionError("no error for " + tools);
        } catch (ProfileException e) {
            return e.errors().stream().map(ProfileError::render).toList();
        }
    }
}
