package io.devbox.agent.report;

import io.devbox.agent.host.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** One JSON run record per run under {@code <state>/runs}, newest last by name; old ones pruned by count. */
public final class RunRecords {
    public static final int KEEP = 500;
    private final Path dir;

    public RunRecords(Path dir) {
        this.dir = dir;
    }

    public Path write(RunInfo run) throws IOException {
        Path file = dir.resolve(run.id() + ".json");
        AtomicFiles.write(file, JsonReport.prettyBytes(JsonReport.document(run)), "rw-------");
        prune(KEEP);
        return file;
    }

    /** Record files, newest first. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .toList();
        }
    }

    void prune(int keep) throws IOException {
        List<Path> all = new ArrayList<>(list());
        for (int i = keep; i < all.size(); i++) Files.deleteIfExists(all.get(i));
    }
}
