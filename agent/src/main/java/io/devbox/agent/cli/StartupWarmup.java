package io.devbox.agent.cli;

import io.devbox.agent.host.Json;
import io.devbox.agent.host.TrustedPaths;
import io.devbox.agent.source.JGitShutdown;
import io.devbox.agent.kinds.Kinds;
import io.devbox.agent.metrics.AgentMetrics;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.internal.storage.file.FileSnapshot;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.util.FS;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Start-up on the second core. A one-off command spends much of its time initialising libraries: picocli builds the
 * command model while JGit (file system detection, file snapshots, its config parser), SLF4J,
 * jackson-core, snakeyaml and the agent's kinds and metrics would wait their turn. For the commands that read profiles
 * and state, that initialisation is a queue of tasks: two threads take tasks from it while the main thread parses the
 * command line, and the main thread takes what is left once it is done, then waits for the tasks under way. So the
 * command starts when the warm-up is over and never initialises the same classes at once (no class-initialisation
 * deadlock between the command and the warm-up), and no core idles while one thread finishes a long task. A task that
 * fails changes nothing: the command meets the same problem and reports it.
 */
final class StartupWarmup {
    private static final Set<String> PROFILE_COMMANDS = Set.of("validate", "plan", "apply", "drift", "status", "watch");
    /** Threads beside the main thread; the boxes this runs on have two cores or more. */
    private static final int THREADS = 2;

    private final Queue<Runnable> tasks;
    private final List<Thread> threads;

    /** Starts {@code threadCount} threads that run {@code tasks}, each task once, in order of taking. */
    StartupWarmup(List<Runnable> tasks, int threadCount) {
        this.tasks = new ConcurrentLinkedQueue<>(tasks);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::drain, "warmup-" + i);
            t.setDaemon(true);
            // whatever escapes a task (a JVM error) the command meets again and reports; no stack trace from here
            t.setUncaughtExceptionHandler((thread, error) -> { });
            t.start();
            started.add(t);
        }
        this.threads = List.copyOf(started);
    }

    /** Starts the warm-up when the arguments name a command that reads profiles; otherwise one that does nothing. */
    static StartupWarmup startFor(String[] args) {
        for (String a : args) {
            if (PROFILE_COMMANDS.contains(a)) return new StartupWarmup(tasks(), THREADS);
        }
        return new StartupWarmup(List.of(), 0);
    }

    /**
     * The tasks, longest chain first: JGit's own start needs SLF4J, SHA-1 and the time zone rules,
     * which the other threads start meanwhile (a thread that needs a class another one is initialising waits for it).
     */
    static List<Runnable> tasks() {
        return List.of(StartupWarmup::initialiseGit, StartupWarmup::initialiseLogging, StartupWarmup::initialiseDigests,
                StartupWarmup::initialiseTime, StartupWarmup::initialiseJson,
                StartupWarmup::initialiseYaml, StartupWarmup::initialiseKinds, StartupWarmup::initialiseMetrics,
                StartupWarmup::initialiseTrust);
    }

    /** Runs the tasks no warm-up thread has taken yet, then waits until the others are over. */
    void await() {
        drain();
        try {
            for (Thread t : threads) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            try {
                task.run();
            } catch (RuntimeException | LinkageError e) {
                // nothing to report: the command meets the same problem and reports it
            }
        }
    }

    /**
     * JGit's file system detection and the classes a repository opens with: its cleanup service first (see
     * JGitShutdown: no shutdown hook of JGit's, and no message bundle loaded for one), its file snapshots and file store
     * attributes (which register with that cleanup) and its config parser. Not its config files: the command first
     * points JGit at the state directory for them (StateDirGitConfig), and reading them here would make JGit measure,
     * and write down, the home's file system.
     */
    private static void initialiseGit() {
        try {
            JGitShutdown.withoutShutdownHook();
            if (FS.DETECTED != null && FileSnapshot.DIRTY != null && FS.FileStoreAttributes.FALLBACK_FILESTORE_ATTRIBUTES != null) {
                new Config().fromText("[core]\n\tbare = false\n");
            }
        } catch (ConfigInvalidException e) {
            // nothing to report: the command meets the same problem and reports it
        }
    }

    /**
     * SLF4J, JGit's logging. A JGit class that asks for a logger meanwhile gets one of SLF4J's substitutes, bound to the
     * real logger once SLF4J is up (JGit logs nothing while warming).
     */
    private static void initialiseLogging() {
        LoggerFactory.getILoggerFactory();
    }

    /** The JDK's security providers: JGit's constants check that SHA-1 is there. */
    private static void initialiseDigests() {
        try {
            MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            // JGit reports it
        }
    }

    /** Date formatting and the time zone rules (JGit's file snapshots make a formatter in the box's zone). */
    private static void initialiseTime() {
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.nnnnnnnnn").withZone(ZoneId.systemDefault()).format(Instant.EPOCH);
    }

    /** jackson-core, with a fractional number both ways (the metrics file keeps its gauges as doubles). */
    private static void initialiseJson() {
        Json.read(Json.pretty(Json.object().put("warm", 1).put("at", 1_765_000_000.123).set("up", Json.array().add("x"))));
    }

    /** Block mappings and sequences, flow style, quoting, a comment and dotted keys, as profiles have them. */
    private static final String YAML = "# warm-up\nspec:\n  sysctl:\n    net.core.somaxconn: 4096\n"
            + "    net.ipv4.ip_local_port_range: \"1024 65000\"\n  list:\n    - 'x'\n    - {a: 1, b: [true, ~]}\n";

    /** snakeyaml through the Compose API the profile reader uses, with a document shaped like a profile. */
    private static void initialiseYaml() {
        new Compose(LoadSettings.builder().setUseMarks(true).build()).composeString(YAML);
    }

    /** The kinds and their reconcilers, which every command that reads profiles makes (no kind probes anything here). */
    private static void initialiseKinds() {
        Kinds.registry().names();
    }

    /** The process's effective uid, which every trust check of the state directory and config asks (a file read). */
    private static void initialiseTrust() {
        TrustedPaths.effectiveUid();
    }

    /** The metrics registry and its exposition, in memory: the metrics of a run are counted at its end. */
    private static void initialiseMetrics() {
        AgentMetrics metrics = AgentMetrics.unread(Path.of("/nonexistent"), null);
        metrics.runFinished("warm-up", true, Duration.ofMillis(321), Instant.ofEpochMilli(1_765_000_000_123L), List.of(), null,
                false, 0);
        metrics.exposition();
    }
}
