package io.devbox.agent.host;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * I/O failures in words a person can act on, always naming the file. The JDK's own messages name the file only:
 * {@code AccessDeniedException.getMessage()} is the bare path, which reads like output rather than an error.
 */
public final class IoErrors {
    private IoErrors() {
    }

    /** e.g. {@code permission denied: /var/lib/devbox-agent/lock}, {@code no space left on device: /x/y.json}. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String file = f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "");
            String what;
            if (e instanceof AccessDeniedException) what = "permission denied";
            else if (e instanceof NoSuchFileException) what = "no such file or directory";
            else if (e instanceof FileAlreadyExistsException) what = "already exists";
            else if (e instanceof NotDirectoryException) what = "not a directory";
            else if (e instanceof DirectoryNotEmptyException) what = "directory not empty";
            else what = f.getReason() != null ? lowerFirst(f.getReason()) : "file system error";
            return what + ": " + file;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** {@link #describe(IOException)} for an I/O failure, the message of any other exception. */
    public static String describe(Exception e) {
        if (e instanceof IOException io) return describe(io);
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * An exception for a failed write of {@code file}: the JDK reports a full disk or a quota as a bare
     * "No space left on device", without the file.
     */
    public static IOException writing(java.nio.file.Path file, IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) return e;
        String m = e.getMessage();
        return new FileSystemException(file.toString(), null, m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
    }

    private static String lowerFirst(String s) {
        // "No space left on device" reads as a reason in a sentence; an all-caps word (e.g. "ELOOP") stays as it is
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
        }
        return s;
    }
}
