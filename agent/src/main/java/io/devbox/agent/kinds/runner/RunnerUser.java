package io.devbox.agent.kinds.runner;

import io.devbox.agent.engine.ResourceException;
import io.devbox.agent.host.Account;
import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who runs the runner package's own programs ({@code bin/Runner.Listener --version} in every probe, {@code config.sh}
 * at registration): always {@code runAs}, never root, when the agent is root and runAs is another account of this
 * machine. The runner tree belongs to runAs (config.sh and every job write into it), so a job can replace any file in
 * it; keeping {@code bin/} root-owned instead would not help, because a job can rename {@code bin} away and put its own
 * in place between the agent's check and the exec (Java cannot exec an already opened file), and the .NET host loads
 * dozens of assemblies from there too. Run as runAs, a replaced binary gains nothing its author did not have.
 * <p>
 * Only when runAs is root itself, or has no account here (a {@code --root} sandbox describing another machine), does
 * the agent run them as itself, and then only from a tree no other user controls (checked before every run).
 */
final class RunnerUser {
    private RunnerUser() {
    }

    /** The account the runner's programs run as, or empty to run them as the agent itself. */
    static Optional<Account> account(Host host, String runAs) throws ResourceException {
        if (!host.facts().root() || runAs == null) return Optional.empty();
        Optional<Account> a;
        int self;
        try {
            a = Account.lookup(host.commands(), runAs);
            self = host.commands().selfUid();
        } catch (IOException e) {
            throw new ResourceException(e.getMessage(), e);
        }
        if (a.isEmpty()) {
            if (host.sandboxed()) return Optional.empty(); // a sandbox's user need not exist on this machine
            throw new ResourceException("the runner's user " + runAs + " (runner.runAs) does not exist on this box");
        }
        return a.get().uid() == self ? Optional.empty() : a;
    }

    /** Whether the runner's programs run as root (config.sh then needs RUNNER_ALLOW_RUNASROOT). */
    static boolean asRoot(Host host, String runAs) throws ResourceException {
        return account(host, runAs).isEmpty() && "root".equals(System.getProperty("user.name"));
    }

    /** Runs {@code program} of a runner tree with {@code args} as the runner's user (see the class comment). */
    static CommandResult run(Host host, String runAs, Path program, List<String> args, Map<String, String> env, Path dir,
                             Duration timeout) throws ResourceException, IOException {
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(args);
        Optional<Account> as = account(host, runAs);
        if (as.isPresent()) return host.commands().runAs(as.get(), argv, env, dir, timeout);
        Optional<String> control = host.fs().userControl(program);
        if (control.isPresent()) {
            throw new ResourceException("not running " + host.fs().shown(program) + " as " + System.getProperty("user.name")
                    + ": " + control.get() + ", so that user could have replaced it");
        }
        return host.commands().run(argv, env, dir, timeout);
    }
}
