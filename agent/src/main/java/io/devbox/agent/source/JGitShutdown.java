package io.devbox.agent.source;

import org.eclipse.jgit.internal.util.CleanupService;

/**
 * How JGit ends with the agent's process. Left alone, the first lock file or file store JGit touches registers a JVM
 * shutdown hook, and loads its whole message bundle (a thousand fields set by reflection, 20-35 ms of CPU on a two-core
 * box) to have it at hand then; at exit the hook deletes the lock files of JGit operations still under way. The agent
 * takes JGit's cleanup the way an OSGi container does, through the public constructor JGit has for that: JGit then hands
 * the cleanup to it instead of the JVM, and it is not run. What the hook would have deleted is handled where the agent
 * writes through JGit: its cache clones (remote sources, fleet reports) are only opened through {@link CacheClone#open},
 * which removes the lock files a run left behind, whether it ended by SIGTERM, Ctrl-C or kill -9 (which no hook sees),
 * before the next fetch or push. Local repositories are only read.
 */
public final class JGitShutdown {
    private JGitShutdown() {
    }

    /** Before JGit first registers with its shutdown hook: no JVM shutdown hook of JGit's, no message bundle for it. */
    public static void withoutShutdownHook() {
        new CleanupService();
    }
}
