package io.devbox.agent.kinds.files;

import io.devbox.agent.host.CommandResult;
import io.devbox.agent.host.Host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Owner and group names of the box the agent manages: on the real box those of its user database (getent, so NSS
 * accounts count); under {@code --root} those of the sandbox's own {@code /etc/passwd} and {@code /etc/group}, never the
 * machine's (a name means the account of the box it is written for).
 */
final class BoxAccounts {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A database: {@code passwd} or {@code group}. */
    enum Db { PASSWD, GROUP }

    private final Host host;

    BoxAccounts(Host host) {
        this.host = host;
    }

    /** The id of {@code nameOrId} (a number is its own id), or empty when the box has no such account. */
    Optional<Integer> id(Db db, String nameOrId) throws IOException {
        if (nameOrId.chars().allMatch(Character::isDigit)) return Optional.of(Integer.parseInt(nameOrId));
        return entry(db, nameOrId, 0).map(f -> parse(f[2]));
    }

    /** The name of id {@code id}, or empty when the box has none. */
    Optional<String> name(Db db, int id) throws IOException {
        return entry(db, String.valueOf(id), 2).map(f -> f[0]);
    }

    /** The entry whose field {@code field} (0 name, 2 id) is {@code key}, as getent or the sandbox's file has it. */
    private Optional<String[]> entry(Db db, String key, int field) throws IOException {
        String file = db == Db.PASSWD ? "passwd" : "group";
        List<String> lines;
        if (host.sandboxed()) {
            Path p = host.path("/etc/" + file);
            if (!Files.isRegularFile(p) || Files.size(p) > (4L << 20)) return Optional.empty();
            lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        } else {
            CommandResult r = host.commands().run(List.of("getent", file, key), Map.of(), null, TIMEOUT);
            if (r.exitCode() == 2) return Optional.empty(); // getent: key not found
            if (!r.ok()) throw new IOException("cannot look up " + key + " in the " + file + " database: " + r.describe());
            lines = r.stdout().lines().toList();
        }
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && f[field].equals(key) && parse(f[2]) != null) return Optional.of(f);
        }
        return Optional.empty();
    }

    private static Integer parse(String id) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
