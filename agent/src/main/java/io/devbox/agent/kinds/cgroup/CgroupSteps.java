package io.devbox.agent.kinds.cgroup;

import io.devbox.agent.host.AtomicFiles;
import io.devbox.agent.host.Host;
import io.devbox.agent.host.SafePaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/**
 * How each {@link CgroupOp} is made true for one cgroup, on v1 or v2 as the box's cgroup filesystem is now. Writing or
 * deleting the slice drop-in owes a daemon-reload ({@link #reloadOwed()}), which the reconciler does once per run.
 */
final class CgroupSteps implements CgroupOp.Steps {
    private final CgroupResource r;
    private final Host host;
    private final Path cg;
    private final boolean v2;
    private boolean reloadOwed;
    private final Set<String> declared;

    CgroupSteps(CgroupResource r, Host host, Set<String> declared) {
        this.r = r;
        this.declared = declared;
        this.host = host;
        this.cg = host.cgroupDir();
        this.v2 = Files.exists(cg.resolve("cgroup.controllers"));
    }

    boolean reloadOwed() {
        return reloadOwed;
    }

    @Override
    public void makeDirectory(CgroupOp.MakeDirectory m) throws IOException {
        Path root = hierarchyRoot(m.hierarchy());
        List<String> made = MadeParents.missing(root, r.path());
        new MadeParents(host.stateDir(), m.hierarchy()).add(made); // before mkdir: a crash in between leaves none unrecorded
        Files.createDirectories(directory(m.hierarchy()));
    }

    @Override
    public void removeDirectory(CgroupOp.RemoveDirectory m) throws IOException {
        removeCgroup(directory(m.hierarchy()));
        new MadeParents(host.stateDir(), m.hierarchy()).removeUnused(hierarchyRoot(m.hierarchy()), r.path(), declared);
    }

    private Path hierarchyRoot(String hierarchy) {
        return hierarchy.isEmpty() ? cg : cg.resolve(hierarchy);
    }

    @Override
    public void enableControllers(CgroupOp.EnableControllers e) throws IOException {
        Path dir = e.ancestor().isEmpty() ? cg : SafePaths.under(cg, e.ancestor());
        if (!e.added().isEmpty()) {
            writeKernel(dir.resolve("cgroup.subtree_control"), String.join(" ", e.added().stream().map(c -> "+" + c).toList()));
        }
    }

    @Override
    public void setLimit(CgroupOp.SetLimit l) throws IOException {
        Path dir = directory(v2 ? "" : v1Hierarchy(l.file()));
        writeKernel(dir.resolve(l.file()), Conversions.toWrite(l.file(), l.to()));
    }

    @Override
    public void writeDropin(CgroupOp.WriteDropin w) throws IOException {
        Path file = host.path(SliceDropin.boxPath(r.sliceUnit()));
        if (AtomicFiles.writeIfChanged(file, w.text().getBytes(StandardCharsets.UTF_8), "rw-r--r--")) reloadOwed = true;
    }

    @Override
    public void deleteDropin(CgroupOp.DeleteDropin d) throws IOException {
        Path file = host.path(SliceDropin.boxPath(r.sliceUnit()));
        if (AtomicFiles.delete(file)) {
            reloadOwed = true;
            try {
                Files.deleteIfExists(file.getParent());
            } catch (DirectoryNotEmptyException e) {
                // other drop-ins remain: not ours to remove
            }
        }
    }

    private Path directory(String hierarchy) {
        return SafePaths.under(hierarchy.isEmpty() ? cg : cg.resolve(hierarchy), r.path());
    }

    private static void removeCgroup(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            throw new IOException("it still has child cgroups");
        } catch (FileSystemException e) {
            if (e.getMessage() != null && e.getMessage().contains("busy")) throw new IOException("it still has processes");
            throw e;
        }
    }

    /** Kernel interface files are written in place (no temp file + rename is possible in cgroupfs). */
    private static void writeKernel(Path file, String text) throws IOException {
        // a kernel interface (cgroupfs: no links, no regular files a user could plant), written in place as the kernel requires
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    static String v1Hierarchy(String file) {
        String prefix = file.substring(0, file.indexOf('.'));
        return switch (prefix) {
            case "memory", "cpu", "pids", "blkio" -> prefix;
            default -> throw new IllegalArgumentException("not a cgroup v1 file: " + file);
        };
    }

    static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof NoSuchFileException) return "no such file " + m;
        if (e instanceof FileSystemException fse && fse.getReason() != null) return fse.getFile() + ": " + fse.getReason();
        return m;
    }
}
