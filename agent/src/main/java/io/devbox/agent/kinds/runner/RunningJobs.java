package io.devbox.agent.kinds.runner;

import io.devbox.agent.host.KernelFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a running job of a runner: a {@code Runner.Worker} process whose executable, first argument or working
 * directory lies under the install directory. Reads the proc filesystem of the agent's own view: a process shows
 * the real paths of the files the agent manages (also under a {@code --root} sandbox, whose files are real files
 * of this machine). Processes that vanish or hide their links (another user's, when not root) are skipped.
 */
final class RunningJobs {
    static final String WORKER = "Runner.Worker";
    private final Path proc;

    RunningJobs(Path proc) {
        this.proc = proc;
    }

    /** "Runner.Worker pid N (PATH)" of the first job running from {@code installDir} (a real path), or empty. */
    Optional<String> find(Path installDir) {
        Path dir = installDir.toAbsolutePath().normalize();
        try (var s = Files.newDirectoryStream(proc, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : s) {
                Optional<String> hit = match(p, dir);
                if (hit.isPresent()) return hit;
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> match(Path pidDir, Path dir) {
        String pid = pidDir.getFileName().toString();
        String comm;
        try {
            comm = KernelFiles.read(pidDir.resolve("comm")).strip();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        String argv0 = argv0(pidDir);
        boolean worker = comm.equals(WORKER) || (argv0 != null && Path.of(argv0).getFileName() != null
                && Path.of(argv0).getFileName().toString().equals(WORKER));
        if (!worker) return Optional.empty();
        for (String candidate : new String[]{link(pidDir.resolve("exe")), argv0, link(pidDir.resolve("cwd"))}) {
            if (candidate == null || !candidate.startsWith("/")) continue;
            Path p = Path.of(candidate.replace(" (deleted)", "")).normalize();
            if (p.startsWith(dir)) return Optional.of(WORKER + " pid " + pid + " (" + p + ")");
        }
        return Optional.empty();
    }

    private static String argv0(Path pidDir) {
        try {
            String cmdline = KernelFiles.read(pidDir.resolve("cmdline"));
            int nul = cmdline.indexOf('\0');
            String first = nul >= 0 ? cmdline.substring(0, nul) : cmdline;
            return first.isEmpty() ? null : first;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
