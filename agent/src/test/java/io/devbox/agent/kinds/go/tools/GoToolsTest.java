package io.devbox.agent.kinds.go.tools;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.kinds.go.GoLayout;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.TestNodes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure parts of go.tools: reading go version -m (as go 1.19 to 1.22 print it), the diff, names, the section. */
class GoToolsTest {
    private static final GoToolResource HELLO = new GoToolResource("hello", "example.test/hello", "v1.1.0", "/usr/local/go-tools",
            "/usr/local/go-versions", "1.22.5", Map.of(), Presence.PRESENT, null);

    @Test
    void buildInfoAsGoPrintsIt() {
        // go 1.19.8 on a program go install built from a module proxy (recorded)
        String out = "/usr/local/go-tools/bin/hello: go1.19.8\n\tpath\texample.test/hello\n"
                + "\tmod\texample.test/hello\tv1.0.0\th1:Zq3kDNdTJqTbXf5i7rCqZ3h0W6M1pYbq9t8cC0d2o1E=\n"
                + "\tbuild\t-compiler=gc\n\tbuild\tCGO_ENABLED=1\n\tbuild\tGOARCH=amd64\n\tbuild\tGOOS=linux\n\tbuild\tGOAMD64=v1\n";
        assertThat(BuildInfo.parse(out)).contains(new BuildInfo("go1.19.8", "example.test/hello", "v1.0.0"));
        assertThat(BuildInfo.parse(out).orElseThrow().module()).isEqualTo("example.test/hello@v1.0.0");
        // a command below its module's root: path is the package, mod the module
        assertThat(BuildInfo.parse("g: go1.22.5\n\tpath\texample.test/tools/cmd/greet\n\tmod\texample.test/tools\tv0.2.0\th1:x=\n")
                .orElseThrow().module()).isEqualTo("example.test/tools/cmd/greet@v0.2.0");
    }

    @Test
    void buildInfoOfUglyBinaries() {
        // GOEXPERIMENT builds name their experiments after the version
        assertThat(BuildInfo.parse("/x/dlv: go1.22.5 X:boringcrypto\n\tpath\tgithub.com/go-delve/delve/cmd/dlv\n"
                + "\tmod\tgithub.com/go-delve/delve\tv1.23.0\th1:a=\n").orElseThrow().toolchain()).isEqualTo("go1.22.5");
        // built with go build outside a module (recorded from go 1.19.8)
        assertThat(BuildInfo.parse("nomod: go1.19.8\n\tpath\tcommand-line-arguments\n\tbuild\t-compiler=gc\n").orElseThrow().module())
                .isEqualTo("command-line-arguments@(devel)");
        // built from a checkout, with a replace directive
        assertThat(BuildInfo.parse("t: go1.21.12\n\tpath\texample.test/t\n\tmod\texample.test/t\t(devel)\t\n"
                + "\tdep\texample.test/lib\tv1.0.0\n\t=>\t../lib\t(devel)\t\n").orElseThrow().module()).isEqualTo("example.test/t@(devel)");
        // no Go program: go 1.19 prints its complaint on stderr and exits 0, stdout is empty
        assertThat(BuildInfo.parse("")).isEmpty();
        assertThat(BuildInfo.parse("/bin/true: could not read Go build info from /bin/true: not a Go executable\n")).isEmpty();
        // a path of a megabyte from a hand-made binary is not shown whole
        assertThat(BuildInfo.parse("x: go1.22.5\n\tpath\t" + "a".repeat(1 << 20) + "\n").orElseThrow().module())
                .isEqualTo("a Go program with an oversized module path");
        assertThat(BuildInfo.parse("x: go1.22.5; rm -rf /\n")).isEmpty();
        assertThat(BuildInfo.parse("x: go1.22.5\r\n\tpath\texample.test/hello\r\n\tmod\texample.test/hello\tv1.0.0\th1:x=\r\n")
                .orElseThrow().module()).isEqualTo("example.test/hello@v1.0.0");
    }

    @Test
    void diffBuildsRebuildsAndRemovesOnlyWhatTheAgentBuilt() {
        GoToolsReconciler r = new GoToolsReconciler();
        assertThat(r.diff(HELLO, GoToolObserved.absent())).extracting(Change::op).containsExactly(new GoToolOp.Install(null, "example.test/hello@v1.1.0"));
        assertThat(r.diff(HELLO, new GoToolObserved(true, "example.test/hello@v1.0.0", "go1.22.5"))).extracting(Change::op)
                .containsExactly(new GoToolOp.Install("example.test/hello@v1.0.0", "example.test/hello@v1.1.0"));
        assertThat(r.diff(HELLO, new GoToolObserved(true, "example.test/hello@v1.1.0", "go1.21.12"))).singleElement().satisfies(c -> {
            assertThat(c.op()).isEqualTo(new GoToolOp.Rebuild("go1.21.12", "go1.22.5"));
            assertThat(c.field()).isEqualTo("toolchain");
            assertThat(c.disruptive()).isFalse();
        });
        assertThat(r.diff(HELLO, new GoToolObserved(true, "example.test/hello@v1.1.0", "go1.22.5"))).isEmpty();
        assertThat(r.diff(HELLO, new GoToolObserved(true, "not a Go program", null))).extracting(Change::op)
                .containsExactly(new GoToolOp.Install("not a Go program", "example.test/hello@v1.1.0"));

        GoToolResource gone = new GoToolResource("hello", "example.test/hello", "v1.1.0", "/usr/local/go-tools", "/usr/local/go-versions",
                "1.22.5", Map.of(), Presence.absent(Map.of("module@persisted", "example.test/hello@v1.1.0")), null);
        assertThat(r.diff(gone, new GoToolObserved(true, "example.test/hello@v1.1.0", "go1.21.12"))).extracting(Change::op)
                .containsExactly(new GoToolOp.Remove("example.test/hello@v1.1.0"));
        assertThat(r.diff(gone, new GoToolObserved(true, "example.test/other@v1.0.0", "go1.22.5"))).isEmpty();
        assertThat(r.diff(gone, GoToolObserved.absent())).isEmpty();
    }

    @Test
    void theProgramsNameIsTheOneGoInstallGives() {
        assertThat(GoToolSpecParser.binaryName("mvdan.cc/gofumpt")).isEqualTo("gofumpt");
        assertThat(GoToolSpecParser.binaryName("github.com/golangci/golangci-lint/cmd/golangci-lint")).isEqualTo("golangci-lint");
        assertThat(GoToolSpecParser.binaryName("example.test/tool/v2")).isEqualTo("tool");
        assertThat(GoToolSpecParser.binaryName("gopkg.in/yaml.v3")).isEqualTo("yaml.v3");
    }

    @Test
    void theSectionGivesToolsTheDefaultToolchainAndOnlyTheProxySettingsOfEnv() throws Exception {
        String yaml = "versions: [\"1.22.5\", \"1.21.12\"]\ndefault: \"1.21.12\"\ninstallDir: /opt/go/\n"
                + "env: {GOPROXY: \"https://proxy.example.com\", GONOSUMDB: \"git.example.com\", GOFLAGS: \"-toolexec=/tmp/x\", GOPRIVATE: \"git.example.com/*\"}\n"
                + "toolsDir: /opt/tools/\ntools: {gofumpt: mvdan.cc/gofumpt@v0.6.0, dlv: github.com/go-delve/delve/cmd/dlv@v1.23.0}\n";
        GoToolsReconciler r = new GoToolsReconciler();
        List<GoToolResource> tools = r.desired(TestNodes.yaml("profiles/p.yaml", yaml),
                new DesiredContext(new HostIdentity("dev-1", Map.of(), "dev", "/home/dev"), new ComposedSpec(Map.of(), List.of("p"), RepoFiles.NONE)));
        assertThat(tools).extracting(GoToolResource::id).containsExactly("gotool[gofumpt]", "gotool[dlv]");
        GoToolResource dlv = tools.get(1);
        assertThat(dlv.module()).isEqualTo("github.com/go-delve/delve/cmd/dlv@v1.23.0");
        assertThat(dlv.binary()).isEqualTo("/opt/tools/bin/dlv");
        assertThat(dlv.goRoot()).isEqualTo("/opt/go/go1.21.12");
        assertThat(dlv.env()).containsOnlyKeys("GOPROXY", "GONOSUMDB", "GOPRIVATE");
        assertThat(dlv.origin().line()).isEqualTo(6);
        // a section without tools is the go kind's alone
        assertThat(r.desired(TestNodes.yaml("profiles/p.yaml", "versions: [\"1.22.5\"]\n"),
                new DesiredContext(new HostIdentity("dev-1", Map.of(), "dev", "/home/dev"), new ComposedSpec(Map.of(), List.of("p"), RepoFiles.NONE)))).isEmpty();
        assertThat(r.removal("gotool[dlv]", Map.of("module@persisted", "github.com/go-delve/delve/cmd/dlv@v1.23.0"))).isEqualTo(Optional.empty());
    }

    @Test
    void theProfileScriptPutsToolsOnPathAndADevelopersOnlyOnTheirs() {
        String shared = GoLayout.profileScript("/usr/local/go-versions", new GoLayout.ToolsPath("/usr/local/go-tools/bin", false));
        assertThat(shared).endsWith("# go.tools\ncase \":${PATH}:\" in\n  *:/usr/local/go-tools/bin:*) ;;\n"
                + "  *) PATH=\"${PATH}:/usr/local/go-tools/bin\"; export PATH ;;\nesac\n");
        String own = GoLayout.profileScript("/usr/local/go-versions", new GoLayout.ToolsPath("/home/dev/go-tools/bin", true));
        assertThat(own).contains("if [ \"$(id -u)\" != 0 ] && [ -O \"/home/dev/go-tools/bin\" ]; then\n  case").endsWith("  esac\nfi\n");
        assertThat(GoLayout.profileScript("/usr/local/go-versions", null)).isEqualTo(GoLayout.profileScript("/usr/local/go-versions"));
        assertThat(GoLayout.within("/home/dev/go-tools", "/home/dev/")).isTrue();
        assertThat(GoLayout.within("/home/developer/tools", "/home/dev")).isFalse();
        assertThat(GoLayout.within("/home/dev/tools", null)).isFalse();
    }
}
