package io.devbox.agent.cli;

import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.internal.storage.file.FileSnapshot;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.util.FS;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.LoadSettings;
import io.devbox.agent.host.Json;

import java.util.List;
import java.util.Set;

/**
 * Start-up on the second core. A one-off command spends much of its time initialising libraries: picocli builds the
 * command model while JGit (file system detection, file snapshots, its message bundle and config parser), SLF4J,
 * jackson-core and snakeyaml would wait their turn. For the commands that read profiles and state, two threads initialise the latter while the main
 * thread parses the command line; the main thread joins them before the command runs, so it never initialises the same
 * classes at once (no class-initialisation deadlock), and a failure here changes nothing: the command meets it again.
 */
final class StartupWarmup {
    private static final Set<String> PROFILE_COMMANDS = Set.of("validate", "plan", "apply", "drift", "status", "watch");

    private final List<Thread> threads;

    private StartupWarmup(List<Thread> threads) {
        this.threads = threads;
    }

    /** Starts the warm-up when the arguments name a command that reads profiles; otherwise one that does nothing. */
    static StartupWarmup startFor(String[] args) {
        for (String a : args) {
            if (PROFILE_COMMANDS.contains(a)) {
                // two threads, about equal: the libraries share no classes; JGit alone takes about as long as picocli
                return new StartupWarmup(List.of(start("warmup-json-yaml", StartupWarmup::initialiseJsonAndYaml),
                        start("warmup-git", StartupWarmup::initialiseGit)));
            }
        }
        return new StartupWarmup(List.of());
    }

    private static Thread start(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        // whatever goes wrong here (a broken jar, a JVM error) the command meets again and reports; no stack trace
        t.setUncaughtExceptionHandler((thread, error) -> { });
        t.start();
        return t;
    }

    /** Waits until the warm-up is over (it never takes longer than the work it anticipates). */
    void await() {
        try {
            for (Thread t : threads) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * jackson-core and snakeyaml, and first SLF4J (JGit's logging: starting it and reading its configuration is a good
     * part of JGit's start), on this thread, which has less to do than JGit's. A JGit class that asks for a logger
     * meanwhile gets one of SLF4J's substitutes, bound to the real logger once SLF4J is up (JGit logs nothing while
     * warming).
     */
    private static void initialiseJsonAndYaml() {
        try {
            LoggerFactory.getILoggerFactory();
            Json.read(Json.pretty(Json.object().put("warm", 1).set("up", Json.array().add("x"))));
            new Compose(LoadSettings.builder().setUseMarks(true).build()).composeString("warm: [up, 1, true]\n");
        } catch (RuntimeException e) {
            // nothing to report: the command meets the same problem and reports it
        }
    }

    /**
     * JGit's file system detection and the classes a repository opens with: its file snapshots (their class
     * initialisation reads the time zone database) and file store attributes (which register JGit's shutdown hook, and
     * load its message bundle for it). Not its config files: the command first points JGit at the state directory for
     * them (StateDirGitConfig), and reading them here would make JGit measure, and write down, the home's file system.
     */
    private static void initialiseGit() {
        try {
            FS detected = FS.DETECTED;
            boolean snapshots = FileSnapshot.DIRTY != null && FS.FileStoreAttributes.FALLBACK_FILESTORE_ATTRIBUTES != null;
            if (detected != null && snapshots) {
                new Config().fromText("[core]\n\tbare = false\n");
            }
        } catch (ConfigInvalidException | RuntimeException e) {
            // nothing to report: the command meets the same problem and reports it
        }
    }
}
