package io.devbox.agent.kinds.files;

import io.devbox.agent.engine.Change;
import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Host;
import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.profile.ComposedSpec;
import io.devbox.agent.profile.HostIdentity;
import io.devbox.agent.profile.ProfileError;
import io.devbox.agent.profile.ProfileException;
import io.devbox.agent.profile.ProfileFile;
import io.devbox.agent.profile.ProfileLoader;
import io.devbox.agent.profile.ValidationCache;
import io.devbox.agent.profile.RepoFiles;
import io.devbox.agent.testing.ReconcilerDriver;
import io.devbox.agent.testing.Sandboxes;
import io.devbox.agent.testing.TestNodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The files kind on a --root sandbox: real files, real modes; probe, diff, apply, verify and removal as the engine runs them. */
class FilesReconcilerTest {
    @TempDir
    Path root;
    Host host;
    final FilesReconciler kind = new FilesReconciler();

    @BeforeEach
    void setUp() throws Exception {
        host = Sandboxes.host(root);
        Files.createDirectories(root.resolve("home/dev"));
    }

    private List<FileResource> desired(String yaml) throws ProfileException {
        return desired(yaml, RepoFiles.NONE);
    }

    private List<FileResource> desired(String yaml, RepoFiles files) throws ProfileException {
        var ctx = new DesiredContext(new HostIdentity("dev-42", Map.of(), "dev", "/home/dev"),
                new ComposedSpec(Map.of(), List.of("p"), files), host);
        return kind.desired(TestNodes.yaml("profiles/p.yaml", yaml), ctx);
    }

    private FileResource one(String yaml) throws ProfileException {
        return desired(yaml).get(0);
    }

    /** Applies as the engine does and returns the applied values by state key (what AppliedState would remember). */
    private Map<String, String> converge(FileResource d) throws ResourceException {
        Map<String, String> applied = new HashMap<>();
        for (Change c : ReconcilerDriver.apply(kind, d, host)) if (c.to() != null) applied.put(c.stateKey(), c.to());
        assertThat(ReconcilerDriver.plan(kind, d, host)).as("re-plan of " + d.id()).isEmpty();
        return applied;
    }

    @Test
    void aBlockGoesIntoTheUsersFileAndEverythingElseStaysByteForByte() throws Exception {
        Path bashrc = root.resolve("home/dev/.bashrc");
        byte[] mine = "# my own settings\nalias ll='ls -l'\n# latin-1 byte: \u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(bashrc, mine);
        FileResource d = one("""
                "${home}/.bashrc": {blocks: {go-path: "export GOPATH=\\"$HOME/go\\"\\nexport PATH=\\"$PATH:$GOPATH/bin\\""}}
                """);
        assertThat(d.id()).isEqualTo("file[/home/dev/.bashrc]");
        List<Change> plan = ReconcilerDriver.plan(kind, d, host);
        assertThat(plan).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo("block go-path");
            assertThat(c.from()).isNull();
            assertThat(c.to()).startsWith("2 lines, sha256 ");
            assertThat(c.content().after()).isEqualTo("export GOPATH=\"$HOME/go\"\nexport PATH=\"$PATH:$GOPATH/bin\"\n");
        });
        // the file is there: the plan changes it (~), it does not add it (+)
        assertThat(kind.exists(d, kind.probe(d, host), plan)).isTrue();
        converge(d);
        byte[] after = Files.readAllBytes(bashrc);
        String expected = new String(mine, StandardCharsets.ISO_8859_1) + "# BEGIN devbox-agent go-path\n"
                + "export GOPATH=\"$HOME/go\"\nexport PATH=\"$PATH:$GOPATH/bin\"\n# END devbox-agent go-path\n";
        assertThat(after).isEqualTo(expected.getBytes(StandardCharsets.ISO_8859_1));
        // applying again changes nothing: same bytes, same inode
        Object inode = Files.getAttribute(bashrc, "unix:ino");
        ReconcilerDriver.apply(kind, d, host);
        assertThat(Files.getAttribute(bashrc, "unix:ino")).isEqualTo(inode);

        // a hand edit inside the block is a difference (the engine calls it drift: the applied value moved)
        Files.writeString(bashrc, Files.readString(bashrc, StandardCharsets.ISO_8859_1).replace("$HOME/go", "/opt/go"),
                StandardCharsets.ISO_8859_1);
        assertThat(ReconcilerDriver.plan(kind, d, host)).singleElement().satisfies(c -> assertThat(c.from()).isNotEqualTo(c.to()));
        // a hand edit outside it is not
        Files.writeString(bashrc, "export EDITOR=vi\n" + Files.readString(bashrc, StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
        converge(d);
        assertThat(Files.readString(bashrc, StandardCharsets.ISO_8859_1)).startsWith("export EDITOR=vi\n# my own settings\n")
                .contains("export GOPATH=\"$HOME/go\"\n");
    }

    @Test
    void aWholeFileWithModeIsCreatedThenItsRemovalDeletesOnlyWhatTheAgentCreated() throws Exception {
        FileResource d = one("""
                /etc/X11/xorg.conf.d/20-gpu.conf: {content: "Section \\"Device\\"\\n  Option \\"DRI3\\" \\"true\\"\\nEndSection\\n", mode: "0640"}
                """);
        List<Change> plan = ReconcilerDriver.plan(kind, d, host);
        assertThat(plan).extracting(Change::field).containsExactly("file", "content", "mode");
        Map<String, String> applied = converge(d);
        Path f = root.resolve("etc/X11/xorg.conf.d/20-gpu.conf");
        assertThat(Files.readString(f)).isEqualTo("Section \"Device\"\n  Option \"DRI3\" \"true\"\nEndSection\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");

        // a mode changed by hand is put back, the content untouched
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(ReconcilerDriver.plan(kind, d, host)).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo("mode");
            assertThat(c.from()).isEqualTo("0664");
        });
        converge(d);

        FileResource gone = kind.removal(d.id(), applied).orElseThrow();
        assertThat(ReconcilerDriver.plan(kind, gone, host)).singleElement().satisfies(c -> assertThat(c.to()).isNull());
        ReconcilerDriver.apply(kind, gone, host);
        assertThat(f).doesNotExist();
        assertThat(ReconcilerDriver.plan(kind, gone, host)).isEmpty();
    }

    @Test
    void aFileThereBeforeGetsItsTextAndModeBackAndOneChangedByHandIsLeft() throws Exception {
        Path f = root.resolve("etc/motd");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "the box's own motd\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        FileResource d = one("/etc/motd: {content: \"managed\\n\", mode: \"0644\"}");
        Map<String, String> applied = converge(d);
        assertThat(applied).doesNotContainKey("file@persisted");
        assertThat(f).hasContent("managed");
        // the profile changes the text: the copy kept is still the box's own, not the agent's first text
        FileResource d2 = one("/etc/motd: {content: \"managed twice\\n\", mode: \"0644\"}");
        applied = converge(d2);
        FileResource gone = kind.removal(d2.id(), applied).orElseThrow();
        assertThat(ReconcilerDriver.plan(kind, gone, host)).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo("content");
            assertThat(c.content().after()).isEqualTo("the box's own motd\n");
        });
        ReconcilerDriver.apply(kind, gone, host);
        assertThat(f).hasContent("the box's own motd");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(ReconcilerDriver.plan(kind, gone, host)).isEmpty();
        try (var left = Files.walk(root.resolve("var/lib/devbox-agent"))) {
            assertThat(left.filter(Files::isRegularFile)).as("the kept copy goes once it is back").isEmpty();
        }

        // a file the agent created and someone changed by hand since is theirs now: left
        Path g = root.resolve("etc/devbox-created.conf");
        FileResource created = one("/etc/devbox-created.conf: {content: \"x = 1\\n\"}");
        Map<String, String> createdApplied = converge(created);
        Files.writeString(g, "x = 1\n# a note by hand\n");
        assertThat(ReconcilerDriver.plan(kind, kind.removal(created.id(), createdApplied).orElseThrow(), host)).isEmpty();
        assertThat(g).exists();
    }

    @Test
    void aSemicolonInAGitConfigValueIsQuotedSoGitReadsItWhole() throws Exception {
        Path gitconfig = root.resolve("home/dev/.gitconfig");
        Files.writeString(gitconfig, "[alias]\n\tst = status ; short for status\n");
        FileResource d = one("\"${home}/.gitconfig\": {ini: {alias.lg: \"log --oneline; echo done\", alias.st: status}}");
        assertThat(ReconcilerDriver.plan(kind, d, host)).extracting(Change::field).containsExactly("ini alias.lg");
        converge(d);
        var git = io.devbox.agent.testing.SystemTests.run(List.of("git", "config", "--file", gitconfig.toString(), "alias.lg"),
                Map.of(), null, java.time.Duration.ofSeconds(20));
        assertThat(git.stdout()).isEqualTo("log --oneline; echo done\n");
        assertThat(Files.readString(gitconfig)).contains("\tst = status ; short for status\n");
    }

    @Test
    void ownerAndGroupNamesUnderRootAreTheSandboxesOwn() throws Exception {
        // names no account of this machine has, and uids that differ from the machine's own for the same names
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\nsandboxdev:x:4242:4343::/home/dev:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nsandboxers:x:4343:\n");
        FileResource d = one("/etc/team.conf: {content: \"a\\n\", owner: sandboxdev, group: sandboxers}");
        converge(d);
        Path f = root.resolve("etc/team.conf");
        assertThat(Files.getAttribute(f, "unix:uid")).isEqualTo(4242);
        assertThat(Files.getAttribute(f, "unix:gid")).isEqualTo(4343);
        FileResource unknown = one("/etc/team.conf: {content: \"a\\n\", owner: nosuchuser}");
        assertThatThrownBy(() -> ReconcilerDriver.apply(kind, unknown, host)).isInstanceOf(ResourceException.class)
                .hasMessageContaining("the box has no user nosuchuser").hasMessageContaining("sandbox's /etc/passwd");
        assertThat(Files.getAttribute(f, "unix:uid")).isEqualTo(4242);
    }

    @Test
    void iniKeysAreEditedInPlaceWithCommentsKeptAndRemovedAlone() throws Exception {
        Path gitconfig = root.resolve("home/dev/.gitconfig");
        Files.writeString(gitconfig, "# my identity\n[user]\n\tname = Dev\n\temail = dev@example.com\n[credential]\n\thelper = cache # for now\n");
        FileResource d = one("""
                "${home}/.gitconfig": {ini: {credential.helper: /usr/lib/git-core/git-credential-libsecret, url.git@github.com:.insteadOf: "https://github.com/"}}
                """);
        assertThat(ReconcilerDriver.plan(kind, d, host)).extracting(Change::field, Change::from, Change::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ini credential.helper", "cache", "/usr/lib/git-core/git-credential-libsecret"),
                org.assertj.core.groups.Tuple.tuple("ini url.git@github.com:.insteadOf", null, "https://github.com/"));
        Map<String, String> applied = converge(d);
        assertThat(Files.readString(gitconfig)).isEqualTo("# my identity\n[user]\n\tname = Dev\n\temail = dev@example.com\n[credential]\n"
                + "\thelper = /usr/lib/git-core/git-credential-libsecret # for now\n\n[url \"git@github.com:\"]\ninsteadOf = https://github.com/\n");
        // git reads it as the agent meant
        var git = io.devbox.agent.testing.SystemTests.run(List.of("git", "config", "--file", gitconfig.toString(), "url.git@github.com:.insteadof"),
                Map.of(), null, java.time.Duration.ofSeconds(20));
        assertThat(git.stdout().strip()).isEqualTo("https://github.com/");

        // removal: the key the developer had gets its value back, the one the agent added goes with its section
        FileResource gone = kind.removal(d.id(), applied).orElseThrow();
        assertThat(ReconcilerDriver.plan(kind, gone, host)).extracting(Change::field, Change::from, Change::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ini credential.helper", "/usr/lib/git-core/git-credential-libsecret", "cache"),
                org.assertj.core.groups.Tuple.tuple("ini url.git@github.com:.insteadOf", "https://github.com/", null));
        ReconcilerDriver.apply(kind, gone, host);
        assertThat(Files.readString(gitconfig)).isEqualTo("# my identity\n[user]\n\tname = Dev\n\temail = dev@example.com\n[credential]\n"
                + "\thelper = cache # for now\n");
        assertThat(ReconcilerDriver.plan(kind, gone, host)).isEmpty();
    }

    @Test
    void aFileTheAgentCreatedForItsBlocksGoesWithItsLastBlock() throws Exception {
        FileResource d = one("""
                "${home}/.config/devbox/env.sh": {blocks: {a: "A=1"}, commentPrefix: "//"}
                """);
        Map<String, String> applied = converge(d);
        Path f = root.resolve("home/dev/.config/devbox/env.sh");
        assertThat(f).hasContent("// BEGIN devbox-agent a\nA=1\n// END devbox-agent a");
        assertThat(applied).containsKeys("file@persisted", "block a@persisted");
        FileResource gone = kind.removal(d.id(), applied).orElseThrow();
        ReconcilerDriver.apply(kind, gone, host);
        assertThat(f).doesNotExist();
    }

    @Test
    void whatTheAgentWillNotTouch() throws Exception {
        Path secret = root.resolve("etc/secret");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "root only\n");
        Path bashrc = root.resolve("home/dev/.bashrc");
        Files.createSymbolicLink(bashrc, secret);
        FileResource d = one("\"${home}/.bashrc\": {blocks: {x: \"X=1\"}}");
        assertThatThrownBy(() -> ReconcilerDriver.plan(kind, d, host)).isInstanceOf(ResourceException.class)
                .hasMessageContaining("/home/dev/.bashrc is a symbolic link");
        assertThatThrownBy(() -> kind.apply(d, Change.of(d.id(), d.origin(), new FileOp.SetBlock("x", "#", null, "X=1\n")), host))
                .isInstanceOf(ResourceException.class);
        assertThat(secret).hasContent("root only");
        assertThat(Files.isSymbolicLink(bashrc)).isTrue();

        Path half = root.resolve("home/dev/.profile");
        Files.writeString(half, "# BEGIN devbox-agent x\nX=0\n");
        FileResource h = one("\"${home}/.profile\": {blocks: {x: \"X=1\"}}");
        assertThatThrownBy(() -> ReconcilerDriver.plan(kind, h, host)).hasMessageContaining("block x starts on line 1 but has no '# END devbox-agent x' line");

        Path big = root.resolve("etc/big.conf");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{1}), 3L << 30); // sparse 3 GiB
        }
        FileResource b = one("/etc/big.conf: {blocks: {x: \"X=1\"}}");
        assertThatThrownBy(() -> ReconcilerDriver.plan(kind, b, host)).hasMessageContaining("more than the 1.0 MiB");
    }

    @Test
    void fromTheRepository() throws Exception {
        RepoFiles files = path -> path.equals("files/gpu.conf") ? Optional.of("Section \"Device\"\nEndSection\n".getBytes()) : Optional.empty();
        FileResource d = desired("/etc/X11/xorg.conf.d/20-gpu.conf: {file: files/gpu.conf}", files).get(0);
        converge(d);
        assertThat(root.resolve("etc/X11/xorg.conf.d/20-gpu.conf")).hasContent("Section \"Device\"\nEndSection");
    }

    /** Errors of a whole profile with this files section, through the loader: the schema's and the parser's. */
    private static List<String> profileErrors(String files) {
        String text = "apiVersion: devbox/v1\nkind: Profile\nmetadata: {name: p}\nspec:\n  files:\n"
                + files.indent(4);
        try {
            new ProfileLoader(ValidationCache.NONE, Kinds.schema()).load(
                    List.of(new ProfileFile("profiles/p.yaml", text.getBytes(StandardCharsets.UTF_8))),
                    new HostIdentity("dev-42", Map.of(), "dev", "/home/dev"), RepoFiles.NONE);
            throw new AssertionError("no error for " + files);
        } catch (ProfileException e) {
            return e.errors().stream().map(ProfileError::render).toList();
        }
    }

    @Test
    void badEntriesAreLocatedErrors() {
        assertThat(profileErrors("\"${home}/../../etc/shadow2\": {content: x}")).singleElement().asString()
                .startsWith("profiles/p.yaml:6:5").contains("'..'");
        assertThat(profileErrors("\"/etc/${nosuch}/x\": {content: x}")).singleElement().asString().contains("unknown variable");
        assertThat(profileErrors("/proc/sys/vm/swappiness: {content: \"10\"}")).singleElement().asString().contains("/proc");
        assertThat(profileErrors("/etc/xorg.conf.d/: {content: x}")).singleElement().asString().contains("not a directory");
        assertThat(profileErrors("\"${home}/.netrc\": {content: \"machine x login y password z\"}")).singleElement().asString()
                .contains("secrets do not belong in profiles");
        assertThat(profileErrors("/etc/x: {content: x, mode: \"4755\"}")).first().asString().contains("no setuid");
        assertThat(profileErrors("/etc/x: {content: x, mode: \"0666\"}")).singleElement().asString().contains("world-writable");
        assertThat(profileErrors("/etc/x: {content: x, mode: 644}")).singleElement().asString().contains("quoted octal");
        assertThat(profileErrors("/etc/x: {content: x, mode: \"99999\"}")).first().asString().contains("octal mode");
        assertThat(profileErrors("/etc/x: {content: x, blocks: {a: b}}")).singleElement().asString().contains("no blocks or ini keys");
        assertThat(profileErrors("/etc/x: {mode: \"0644\"}")).singleElement().asString().contains("needs content, file, blocks or ini");
        assertThat(profileErrors("/etc/x: {blocks: {a: \"X=1\\n# END devbox-agent a\\nrm -rf /\"}}")).singleElement().asString()
                .contains("marker line");
        assertThat(profileErrors("/etc/x: {blocks: {\"a b\": x}}")).singleElement().asString().contains("block names");
        assertThat(profileErrors("/etc/x: {blocks: {a: x}, commentPrefix: \" # \"}")).singleElement().asString().contains("commentPrefix");
        assertThat(profileErrors("/etc/x: {ini: {user.password: hunter2}}")).singleElement().asString().contains("looks like a secret");
        assertThat(profileErrors("/etc/x: {ini: {core.editor: \"vi\\n[alias]\\nx = !sh\"}}")).singleElement().asString().contains("one line");
        assertThat(profileErrors("/etc/x: {ini: {nodot: x}}")).singleElement().asString().contains("SECTION.KEY");
        assertThat(profileErrors("/etc/x: {content: x, file: y}")).singleElement().asString().contains("either content or file");
        assertThat(profileErrors("/etc/x: {file: ../outside}")).singleElement().asString().contains("inside the profile repository");
        assertThat(profileErrors("/etc/x: {owner: \"root;id\", content: x}")).singleElement().asString().contains("user name or a uid");
        // what only the expanded paths and the repository tell: the kind's parser
        assertThat(parserErrors("/home/dev/x: {content: x}\n\"${home}/x\": {content: y}")).singleElement().asString()
                .startsWith("profiles/p.yaml:2:1").contains("names the same file as profiles/p.yaml:1");
        assertThat(parserErrors("/etc/x: {file: files/missing.conf}")).singleElement().asString()
                .startsWith("profiles/p.yaml:1:16").contains("does not exist in the profile repository");
    }

    private List<String> parserErrors(String yaml) {
        try {
            desired(yaml);
            throw new AssertionError("no error for " + yaml);
        } catch (ProfileException e) {
            return e.errors().stream().map(ProfileError::render).toList();
        }
    }
}
