package io.devbox.agent.kinds.go.tools;

import io.devbox.agent.host.Account;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.host.Territory;
import io.devbox.agent.kinds.go.GoLayout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Who builds into, inspects and renames in a tools directory, by the privilege boundary: root, when only root can change
 * the directory all the way up; the developer, when it lies in their home and they control it. Then every command in it
 * runs as the developer ({@code setpriv}), so the kernel, not a check, keeps root out of their links, and the module and
 * build caches are theirs ({@code ~/go}, {@code ~/.cache/go-build}, as their own {@code go install} uses). Any other
 * place (a tree another user or group can write, a sticky directory such as /tmp, a user's directory outside the
 * developer's home) is refused: what root builds there, or what the profile.d script would put on other users' PATH,
 * someone else could replace.
 */
sealed interface Builder {

    /** The cache directories and HOME a build gets (beside GOBIN, the proxy settings and the fixed ones). */
    Map<String, String> caches(Host host);

    CommandResult run(Host host, List<String> argv, Map<String, String> env, Path workDir, Duration timeout) throws IOException;

    /** Root builds with a module and build cache of its own in the agent's state directory. */
    record AsRoot() implements Builder {
        @Override
        public Map<String, String> caches(Host host) {
            Path cache = host.stateDir().resolve("gotools");
            return Map.of("HOME", cache.toString(), "GOPATH", cache.resolve("gopath").toString(),
                    "GOCACHE", cache.resolve("build-cache").toString(),
                    // the cache is root's alone; writable module files let the agent's own cleanup delete it
                    "GOFLAGS", "-mod=mod -modcacherw");
        }

        @Override
        public CommandResult run(Host host, List<String> argv, Map<String, String> env, Path workDir, Duration timeout) throws IOException {
            return host.commands().runIsolated(argv, env, workDir, timeout);
        }
    }

    /** @param developer the account that controls the tools directory, its home the developer's (as a real path) */
    record AsDeveloper(Account developer) implements Builder {
        @Override
        public Map<String, String> caches(Host host) {
            Path home = Path.of(developer.home());
            return Map.of("GOPATH", home.resolve("go").toString(), "GOCACHE", home.resolve(".cache/go-build").toString(),
                    "GOFLAGS", "-mod=mod");
        }

        @Override
        public CommandResult run(Host host, List<String> argv, Map<String, String> env, Path workDir, Duration timeout) throws IOException {
            return host.commands().runAs(developer, argv, env, workDir, timeout);
        }
    }

    /** Who works in {@code toolsDir} on this box; {@link Refused} with the reason when no one may. */
    static Builder of(Host host, String toolsDir) throws Refused, IOException {
        Territory t = host.fs().territory(host.path(toolsDir));
        if (t instanceof Territory.RootOnly r) {
            if (r.shared() == null) return new AsRoot();
            throw new Refused(toolsDir + " lies in a directory others can write (" + r.shared() + "), so they could replace "
                    + "what root builds there; use a directory only root can write all the way up, e.g. "
                    + GoLayout.DEFAULT_TOOLS_DIR + ", or one in the developer's home");
        }
        Territory.UserControlled u = (Territory.UserControlled) t;
        String home = host.facts().home();
        boolean inHome = home != null && SafePaths.absoluteProblem(home).isEmpty() && GoLayout.within(toolsDir, home);
        if (!inHome || !u.controller().bound()) {
            throw new Refused(toolsDir + " is not root's alone (" + u.reason() + ")" + (inHome ? "" : " and not in the developer's home ("
                    + home + ")") + ": neither root nor the developer may build there, and the profile.d script would put it on "
                    + "other users' PATH; use a directory only root can write, e.g. " + GoLayout.DEFAULT_TOOLS_DIR + ", or one in "
                    + "the developer's home");
        }
        Territory.Controller c = u.controller();
        return new AsDeveloper(new Account(c.name(), c.uid(), c.gid(), host.path(home).toString()));
    }

    /** Why no one may build in a tools directory. */
    final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }
}
