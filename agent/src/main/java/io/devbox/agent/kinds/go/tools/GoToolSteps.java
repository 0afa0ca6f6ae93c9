package io.devbox.agent.kinds.go.tools;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.BoxFs;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.IoErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How each {@link GoToolOp} is made true for one program. Every command in the tools directory runs as its
 * {@link Builder}; directories and deletes there go through {@link BoxFs} (no link followed in a user's tree).
 */
final class GoToolSteps implements GoToolOp.Steps {
    private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration FILE_TIMEOUT = Duration.ofSeconds(30);
    static final String TEMP_PREFIX = AtomicFiles.TEMP_PREFIX + "gotool-";
    /** What every go command of the kind gets: this toolchain only, none of a go env file's settings. */
    private static final Map<String, String> FIXED = Map.of("GOTOOLCHAIN", "local", "GOENV", "off");

    private final GoToolResource d;
    private final Builder builder;
    private final Host host;

    GoToolSteps(GoToolResource d, Builder builder, Host host) {
        this.d = d;
        this.builder = builder;
        this.host = host;
    }

    @Override
    public void remove(GoToolOp.Remove op) throws ResourceException {
        try {
            host.fs().delete(host.path(d.binary()));
        } catch (IOException e) {
            throw new ResourceException("cannot remove " + d.binary() + ": " + IoErrors.describe(e), e);
        }
    }

    /**
     * {@code go install} into a temp directory beside {@code bin/}, the result checked with {@code go version -m} and
     * renamed over the old binary: until the rename, the program in place stays whatever happens.
     */
    @Override
    public void build(GoToolOp op) throws ResourceException {
        Path go = toolchain(d, host).orElseThrow(() -> new ResourceException("go" + d.goVersion() + " is not installed in "
                + d.installDir() + "; the tool is built with the default toolchain"));
        Path toolsDir = host.path(d.toolsDir());
        Path bin = toolsDir.resolve("bin");
        Path tmp = null;
        try {
            host.fs().createDirectories(bin, false);
            tmp = tempDir(toolsDir);
            Map<String, String> env = new HashMap<>(d.env());
            env.putAll(builder.caches(host));
            env.putAll(FIXED);
            env.put("GOBIN", tmp.toString());
            // the working directory holds no go.mod: go install PACKAGE@VERSION builds the module on its own
            Path workDir = builder instanceof Builder.AsRoot ? tmp : Path.of("/");
            CommandResult r = builder.run(host, List.of(go.toString(), "install", "--", d.module()), env, workDir, BUILD_TIMEOUT);
            if (!r.ok()) {
                throw new ResourceException("go install " + d.module() + " failed (the binary in place, if any, stays): " + lastLines(r));
            }
            Path built = tmp.resolve(d.name());
            Optional<BuildInfo> info = inspect(builder, go, built, host);
            if (info.isEmpty() || !d.module().equals(info.get().module())) {
                throw new ResourceException("go install " + d.module() + " did not build " + d.name() + " from it"
                        + info.map(b -> " (it built " + b.module() + ")").orElse(""));
            }
            file(List.of("chmod", "0755", "--", built.toString()));
            // rename(2) over the old binary: a shell that runs the tool meanwhile gets the old or the new one
            file(List.of("mv", "-f", "-T", "--", built.toString(), bin.resolve(d.name()).toString()));
        } catch (IOException e) {
            throw new ResourceException("cannot build " + d.name() + ": " + IoErrors.describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    host.fs().deleteTree(tmp);
                } catch (IOException e) {
                    // a leftover temp directory goes with the run's finish or the next one's
                }
            }
        }
    }

    /** A fresh temp directory in the tools directory, made by the builder ({@code mktemp}, so a user's is theirs). */
    private Path tempDir(Path toolsDir) throws IOException, ResourceException {
        CommandResult r = builder.run(host, List.of("mktemp", "-d", "-p", toolsDir.toString(), TEMP_PREFIX + "XXXXXXXX"),
                Map.of(), Path.of("/"), FILE_TIMEOUT);
        if (!r.ok()) throw new ResourceException("cannot make a temp directory in " + d.toolsDir() + ": " + r.describe());
        Path tmp = Path.of(r.stdout().strip());
        if (!toolsDir.equals(tmp.getParent()) || !tmp.getFileName().toString().startsWith(TEMP_PREFIX)) {
            throw new ResourceException("mktemp made " + r.stdout().strip() + ", not a temp directory in " + d.toolsDir());
        }
        return tmp;
    }

    private void file(List<String> argv) throws IOException, ResourceException {
        CommandResult r = builder.run(host, argv, Map.of(), Path.of("/"), FILE_TIMEOUT);
        if (!r.ok()) throw new ResourceException("cannot install " + d.binary() + ": " + r.describe());
    }

    /** The default toolchain's go, when installed and root-only all the way up (root or the developer runs it). */
    static Optional<Path> toolchain(GoToolResource d, Host host) throws ResourceException {
        Path go = host.path(d.goRoot()).resolve("bin/go");
        if (!Files.isExecutable(go)) return Optional.empty();
        try {
            Optional<String> control = host.fs().userControl(go);
            if (control.isPresent()) {
                throw new ResourceException("the toolchain " + d.goRoot() + "/bin/go is not root's alone (" + control.get()
                        + "): the agent runs no go another user can replace");
            }
        } catch (IOException e) {
            throw new ResourceException("cannot check who controls " + d.goRoot() + "/bin/go: " + IoErrors.describe(e), e);
        }
        return Optional.of(go);
    }

    /** What {@code go version -m} says of {@code binary}, run by the builder; empty when it is not a Go program. */
    static Optional<BuildInfo> inspect(Builder builder, Path go, Path binary, Host host) throws ResourceException {
        try {
            CommandResult r = builder.run(host, List.of(go.toString(), "version", "-m", binary.toString()),
                    Map.of("GOTOOLCHAIN", "local", "GOENV", "off", "GOFLAGS", ""), Path.of("/"), INSPECT_TIMEOUT);
            return r.ok() ? BuildInfo.parse(r.stdout()) : Optional.empty();
        } catch (IOException e) {
            throw new ResourceException("cannot run " + go + " version -m: " + IoErrors.describe(e), e);
        }
    }

    /** Removes the temp directories a killed build left in {@code toolsDir}. */
    static void removeLeftovers(Builder builder, String toolsDir, Host host) throws ResourceException {
        Path dir = host.path(toolsDir);
        try {
            Optional<BoxFs.Entry> e = host.fs().stat(dir);
            if (e.isEmpty() || e.get().kind() != BoxFs.Entry.Kind.DIRECTORY) return;
            for (BoxFs.Entry entry : host.fs().list(dir)) {
                if (entry.name().startsWith(TEMP_PREFIX)) host.fs().deleteTree(dir.resolve(entry.name()));
            }
        } catch (IOException e) {
            throw new ResourceException("cannot clean temp files in " + toolsDir + ": " + IoErrors.describe(e), e);
        }
    }

    private static String lastLines(CommandResult r) {
        List<String> lines = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip().lines().toList();
        List<String> tail = lines.subList(Math.max(0, lines.size() - 6), lines.size());
        return tail.isEmpty() ? r.describe() : String.join("; ", tail);
    }
}
