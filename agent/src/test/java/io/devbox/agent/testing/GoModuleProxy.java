package io.devbox.agent.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A {@code file://} GOPROXY directory as the module proxy protocol wants it ({@code MODULE/@v/list},
 * {@code VERSION.info}, {@code .mod}, {@code .zip} with entries under {@code MODULE@VERSION/}), for the real {@code go}
 * to build from without a network. Modules of this proxy live under {@code example.test}, which the profile puts in
 * {@code GONOSUMDB} (the checksum database knows nothing of them).
 */
public final class GoModuleProxy {
    private final Path dir;

    public GoModuleProxy(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** The proxy with the modules the tests build: a tool at a module's root in two versions, one in a subdirectory. */
    public static GoModuleProxy standard(Path dir) throws IOException {
        GoModuleProxy p = new GoModuleProxy(dir);
        p.module("example.test/hello", "v1.0.0", Map.of("main.go", mainPrinting("hello v1.0.0")));
        p.module("example.test/hello", "v1.1.0", Map.of("main.go", mainPrinting("hello v1.1.0")));
        p.module("example.test/tools", "v0.2.0", Map.of("cmd/greet/main.go", mainPrinting("greetings")));
        // a version whose code does not compile: go install fails after fetching it
        p.module("example.test/hello", "v1.2.0", Map.of("main.go", "package main\n\nfunc main() { undefined() }\n"));
        return p;
    }

    /** {@code GOPROXY} for this directory. */
    public String url() {
        return "file://" + dir;
    }

    public Path dir() {
        return dir;
    }

    public static String mainPrinting(String line) {
        return "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"" + line + "\") }\n";
    }

    /** One module version: its go.mod declares {@code path}, {@code files} are its other files. */
    public void module(String path, String version, Map<String, String> files) throws IOException {
        Path v = Files.createDirectories(dir.resolve(path).resolve("@v"));
        String mod = "module " + path + "\n\ngo 1.19\n";
        Files.writeString(v.resolve(version + ".info"), "{\"Version\":\"" + version + "\",\"Time\":\"2024-05-01T00:00:00Z\"}\n");
        Files.writeString(v.resolve(version + ".mod"), mod);
        try (OutputStream out = Files.newOutputStream(v.resolve(version + ".zip")); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(path + "@" + version + "/go.mod"));
            zip.write(mod.getBytes(StandardCharsets.UTF_8));
            for (var f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(path + "@" + version + "/" + f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        Path list = v.resolve("list");
        Files.writeString(list, (Files.exists(list) ? Files.readString(list) : "") + version + "\n");
    }

    /** The real go Debian's golang-go installs, its links resolved, and its version ({@code 1.19.8}). */
    public record RealGo(Path binary, String version) {
        public static RealGo find() throws Exception {
            SystemTests.requireCommand("go");
            Path go = Path.of("/usr/bin/go").toRealPath();
            String v = SystemTests.sh(List.of(go.toString(), "version")).strip(); // go version go1.19.8 linux/amd64
            return new RealGo(go, v.split(" ")[2].substring(2));
        }

        /** Makes {@code <installDir>/go<version>/bin/go} under {@code root} a link to this go (a sandbox's default toolchain). */
        public void linkInto(Path root, String installDir) throws IOException {
            Path bin = Files.createDirectories(root.resolve(installDir.substring(1)).resolve("go" + version + "/bin"));
            Files.createSymbolicLink(bin.resolve("go"), binary);
        }
    }
}
