package io.devbox.agent.host;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An account of this machine that the agent can act as ({@link Commands#runAs}). Looked up with {@code getent passwd}, so
 * accounts from NSS (LDAP, sssd) count too. An owner uid without a passwd entry is still an account to act as, only
 * without a name, home or supplementary groups.
 *
 * @param name null when the uid has no passwd entry
 * @param home null when unknown
 */
public record Account(String name, int uid, int gid, String home) {
    private static final Pattern NAME_OR_UID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    /** The account named (or numbered) {@code nameOrUid}, or empty when this machine has none. */
    public static Optional<Account> lookup(Commands commands, String nameOrUid) throws IOException {
        if (nameOrUid == null || !NAME_OR_UID.matcher(nameOrUid).matches()) return Optional.empty();
        CommandResult r = commands.run(List.of("getent", "passwd", nameOrUid), Map.of(), null, LOOKUP_TIMEOUT);
        if (r.exitCode() == 2) return Optional.empty(); // getent: key not found
        if (!r.ok()) throw new IOException("cannot look up the account " + nameOrUid + ": " + r.describe());
        String line = r.stdout().lines().findFirst().orElse("");
        String[] f = line.split(":", -1);
        if (f.length < 7 || f[0].isEmpty()) return Optional.empty();
        try {
            return Optional.of(new Account(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5].isEmpty() ? null : f[5]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The user who controls a tree, as an account, without a lookup of its own: the name is the one the file system
     * gave the owner (the JDK asks getpwuid), the home is left unknown. Enough to run a command as that user.
     */
    public static Account of(Territory.Controller c) {
        if (!c.bound()) throw new IllegalArgumentException("no single user controls this tree");
        return new Account(c.name(), c.uid(), c.gid(), null);
    }

    /** A name for messages: {@code dev (uid 1001)} or {@code uid 1001}. */
    public String describe() {
        return name != null ? name + " (uid " + uid + ")" : "uid " + uid;
    }

    /**
     * The argument list prefix that runs a program as this account: its uid and gid, its groups (none when it has no
     * name), and no way to gain privileges back (setuid binaries do not elevate).
     */
    List<String> setpriv() {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid));
        argv.add(name != null ? "--init-groups" : "--clear-groups");
        argv.addAll(List.of("--no-new-privs", "--"));
        return argv;
    }
}
