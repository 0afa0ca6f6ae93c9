package io.devbox.agent.profile;

import io.devbox.agent.host.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link ValidationCache} kept in a file, one key a line, newest last, at most {@value #MAX_KEYS} keys. It is only
 * an optimisation: a missing, unreadable or corrupt file counts as empty, and a failed write is ignored.
 */
public final class FileValidationCache implements ValidationCache {
    static final int MAX_KEYS = 512;
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    private final Path file;
    private Set<String> keys;

    public FileValidationCache(Path file) {
        this.file = file;
    }

    @Override
    public synchronized boolean knownValid(String key) {
        return keys().contains(key);
    }

    @Override
    public synchronized void remember(String key) {
        rememberAll(List.of(key));
    }

    @Override
    public synchronized void rememberAll(Collection<String> newKeys) {
        Set<String> all = keys();
        boolean changed = false;
        for (String k : newKeys) {
            if (!KEY.matcher(k).matches()) throw new IllegalArgumentException("not a SHA-256 hex key: " + k);
            boolean had = all.remove(k);
            all.add(k);
            changed |= !had;
        }
        if (!changed) return;
        while (all.size() > MAX_KEYS) all.remove(all.iterator().next());
        try {
            AtomicFiles.write(file, (String.join("\n", all) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            // a cache we cannot write only costs the next run a validation
        }
    }

    private Set<String> keys() {
        if (keys == null) {
            keys = new LinkedHashSet<>();
            try {
                for (String line : new String(AtomicFiles.readState(file), StandardCharsets.ISO_8859_1).split("\n")) {
                    String k = line.strip();
                    if (KEY.matcher(k).matches()) keys.add(k);
                }
            } catch (NoSuchFileException e) {
                // first run
            } catch (IOException | RuntimeException e) {
                keys.clear();
            }
        }
        return keys;
    }
}
