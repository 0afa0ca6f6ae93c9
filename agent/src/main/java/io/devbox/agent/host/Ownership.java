package io.devbox.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/** Hands files the agent writes for the developer (as root) over to the developer's user. */
public final class Ownership {
    private Ownership() {
    }

    /**
     * When the agent runs as root and {@code user} is a known account other than root, makes it the owner (and its
     * same-named group, when there is one) of {@code path}, without following a symlink. Returns whether it did.
     */
    public static boolean giveTo(Path path, Facts facts) throws IOException {
        String user = facts.user();
        if (!facts.root() || user == null || user.isBlank() || user.equals("root")) return false;
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner;
        try {
            owner = lookup.lookupPrincipalByName(user);
        } catch (UserPrincipalNotFoundException e) {
            return false;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(owner);
        try {
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(user);
            view.setGroup(group);
        } catch (UserPrincipalNotFoundException e) {
            // no same-named group: keep the group
        }
        return true;
    }

    /** Creates the missing directories of {@code dir} and gives those it created to the developer. */
    public static void createDirectoriesFor(Path dir, Facts facts) throws IOException {
        if (Files.isDirectory(dir)) return;
        Path parent = dir.getParent();
        if (parent != null) createDirectoriesFor(parent, facts);
        Files.createDirectory(dir);
        giveTo(dir, facts);
    }
}
