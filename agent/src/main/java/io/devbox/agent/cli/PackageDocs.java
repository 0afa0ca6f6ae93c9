package io.devbox.agent.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Build step (not used at run time): the Debian package's generated files under {@code OUT/root}: a man page per command
 * from the picocli model, the bash completion script, and {@code changelog.Debian.gz} from its template.
 * <p>
 * Usage: {@code PackageDocs OUT DEBIAN-VERSION CHANGELOG-TEMPLATE}. The changelog's date is {@code SOURCE_DATE_EPOCH}
 * when set (reproducible builds), else now.
 */
public final class PackageDocs {
    static final String PROGRAM = "devbox-agent";

    private PackageDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) throw new IllegalArgumentException("usage: PackageDocs OUT DEBIAN-VERSION CHANGELOG-TEMPLATE");
        Path root = Path.of(args[0]).resolve("root");
        String version = args[1];
        deleteTree(root);
        CommandLine cmd = AgentCommand.commandLine(new String[0], PROGRAM);
        Path man = Files.createDirectories(root.resolve("usr/share/man/man1"));
        int pages = writeManPages(cmd.getCommandSpec(), version, man);
        Path completion = Files.createDirectories(root.resolve("usr/share/bash-completion/completions"));
        // sourced by bash-completion, never run: without picocli's #! line
        String script = AutoComplete.bash(PROGRAM, cmd);
        if (script.startsWith("#!")) script = script.substring(script.indexOf('\n') + 1);
        Files.writeString(completion.resolve(PROGRAM), script, StandardCharsets.UTF_8);
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        Instant at = epoch != null && epoch.matches("[0-9]{1,12}") ? Instant.ofEpochSecond(Long.parseLong(epoch)) : Instant.now();
        String changelog = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8).replace("@VERSION@", version)
                .replace("@DATE@", DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT).format(at.atOffset(ZoneOffset.UTC)));
        Path doc = Files.createDirectories(root.resolve("usr/share/doc/" + PROGRAM));
        Files.write(doc.resolve("changelog.Debian.gz"), gzip(changelog.getBytes(StandardCharsets.UTF_8)));
        System.out.println("package docs: " + pages + " man pages, bash completion, changelog in " + root);
    }

    private static int writeManPages(CommandSpec spec, String version, Path dir) throws IOException {
        Files.write(dir.resolve(ManPage.name(spec) + ".1.gz"), gzip(ManPage.render(spec, version).getBytes(StandardCharsets.UTF_8)));
        int n = 1;
        for (CommandLine sub : spec.subcommands().values()) n += writeManPages(sub.getCommandSpec(), version, dir);
        return n;
    }

    /**
     * gzip as {@code gzip -9n} writes it: maximum compression flagged in the header (Debian's checks look for it),
     * no file name, no time stamp. (java.util.zip's GZIPOutputStream flags neither.)
     */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + 64);
        out.writeBytes(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) out.write(buf, 0, deflater.deflate(buf));
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).putInt(data.length).array());
        return out.toByteArray();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
