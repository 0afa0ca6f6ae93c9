package io.devbox.agent.kinds.files;

import io.devbox.agent.engine.DesiredContext;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.host.SafePaths;
import io.devbox.agent.kinds.SpecReader;
import io.devbox.agent.profile.Node;
import io.devbox.agent.profile.Origin;
import io.devbox.agent.profile.ProfileException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the composed, schema-validated {@code files} section into resources. The schema states the shapes (paths,
 * names, modes, what excludes what); this expands the variables in keys ({@code ${home}}, {@code ${user}},
 * {@code ${hostname}}: the profile loader expands values only), and checks what only the expanded path and the
 * repository can tell, with located errors.
 */
final class FileSpecParser {
    /** The largest whole file a profile may take from the repository (a managed file is config, not data). */
    static final int MAX_TEXT = 256 * 1024;
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final SpecReader r = new SpecReader();
    private final DesiredContext context;

    private FileSpecParser(DesiredContext context) {
        this.context = context;
    }

    static List<FileResource> parse(Node section, DesiredContext context) throws ProfileException {
        return new FileSpecParser(context).parse(section);
    }

    private List<FileResource> parse(Node section) throws ProfileException {
        Node.Mapping m = (Node.Mapping) section;
        List<FileResource> out = new ArrayList<>();
        Map<String, Origin> seen = new LinkedHashMap<>();
        m.entries().forEach((key, node) -> {
            Origin at = m.keyOrigin(key);
            String path = path(key, at);
            if (path == null) return;
            Origin before = seen.putIfAbsent(path, at);
            if (before != null) {
                r.error(at, "files: " + key + " names the same file as " + before.shortForm() + " (" + path + ")");
                return;
            }
            FileResource f = entry(path, key, (Node.Mapping) node);
            if (f != null) out.add(f);
        });
        r.throwIfAny();
        return out;
    }

    /** The key with its variables expanded; null (with an error) when the expanded path is not a clean absolute path. */
    private String path(String key, Origin at) {
        StringBuilder sb = new StringBuilder();
        Matcher v = VARIABLE.matcher(key);
        while (v.find()) {
            String value = switch (v.group(1)) {
                case "home" -> context.identity().home();
                case "user" -> context.identity().user();
                case "hostname" -> context.identity().hostname();
                default -> null;
            };
            if (value == null) {
                r.error(at, "files: " + key + ": ${" + v.group(1) + "} has no value on this box");
                return null;
            }
            v.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        v.appendTail(sb);
        String path = sb.toString();
        Optional<String> problem = SafePaths.absoluteProblem(path);
        if (problem.isPresent()) {
            // the key as written: the expanded form would show the home of whoever runs validate
            r.error(at, "files: " + key + ": " + problem.get().replaceFirst(": [^:]*$", ""));
            return null;
        }
        return path;
    }

    private FileResource entry(String path, String key, Node.Mapping m) {
        String what = "files." + key;
        String content = m.get("content") != null ? r.string(m.get("content"), what + ".content") : null;
        if (m.get("file") != null) content = repoFile(m.get("file"), what + ".file");
        Map<String, String> blocks = new LinkedHashMap<>();
        if (m.get("blocks") instanceof Node.Mapping bm) bm.entries().forEach((name, v) -> {
            String t = r.string(v, what + ".blocks." + name);
            if (t != null) blocks.put(name, t);
        });
        Map<String, String> ini = new LinkedHashMap<>();
        if (m.get("ini") instanceof Node.Mapping im) im.entries().forEach((name, v) -> {
            String t = r.string(v, what + ".ini." + name);
            if (t != null) ini.put(name, t);
        });
        String prefix = m.get("commentPrefix") == null ? "#" : r.string(m.get("commentPrefix"), what + ".commentPrefix");
        String mode = m.get("mode") == null ? null : r.string(m.get("mode"), what + ".mode");
        if (mode != null && mode.length() == 3) mode = "0" + mode;
        String owner = m.get("owner") == null ? null : r.string(m.get("owner"), what + ".owner");
        String group = m.get("group") == null ? null : r.string(m.get("group"), what + ".group");
        if ((m.get("file") != null || m.get("content") != null) && content == null) return null;
        return new FileResource(path, content, blocks, prefix, ini, mode, owner, group, Presence.PRESENT, m.origin());
    }

    /** A whole file from the profile repository at the pinned commit: UTF-8 text, no NUL, at most {@link #MAX_TEXT}. */
    private String repoFile(Node node, String what) {
        String path = r.string(node, what);
        if (path == null) return null;
        try {
            Optional<byte[]> bytes = context.spec().files().read(path);
            if (bytes.isEmpty()) {
                r.error(node.origin(), what + ": " + path + " does not exist in the profile repository");
                return null;
            }
            if (bytes.get().length > MAX_TEXT) {
                r.error(node.origin(), what + ": " + path + " is larger than " + MAX_TEXT / 1024 + " KiB");
                return null;
            }
            String t = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.get())).toString();
            if (t.indexOf('\0') >= 0) {
                r.error(node.origin(), what + ": " + path + " contains a NUL character (only text files are managed)");
                return null;
            }
            return t;
        } catch (CharacterCodingException e) {
            r.error(node.origin(), what + ": " + path + " is not UTF-8 text");
        } catch (IOException e) {
            r.error(node.origin(), what + ": cannot read " + path + ": " + e.getMessage());
        }
        return null;
    }
}
