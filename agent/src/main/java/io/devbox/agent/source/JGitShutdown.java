package io.devbox.agent.source;

import org.eclipse.jgit.internal.util.CleanupService;

/**
 * How JGit ends with the agent's process. Left alone, the first repository JGit opens registers a JVM shutdown hook,
 * and loads its whole message bundle (a thousand fields set by reflection) to have it at hand then; at exit the hook
 * starts a thread pool and a parallel stream to stop JGit's own idle background executor: ~4 ms more at the exit of
 * every plan (measured), for nothing the agent needs. The agent closes its repositories itself, and JGit's one
 * background write (its measurement of a file system's timestamp resolution, once per file system, by lock file and
 * rename) is interrupted by that hook just the same. So the agent takes JGit's cleanup the way an OSGi container does,
 * through the public constructor JGit has for that: JGit then hands the cleanup to it instead of the JVM, and it is
 * not run.
 */
public final class JGitShutdown {
    private JGitShutdown() {
    }

    /** Before JGit is first used: no JVM shutdown hook of JGit's, no message bundle loaded for it. */
    public static void withoutShutdownHook() {
        new CleanupService();
    }
}
