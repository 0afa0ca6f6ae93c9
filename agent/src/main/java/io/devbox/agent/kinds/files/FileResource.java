package io.devbox.agent.kinds.files;

import io.devbox.agent.engine.DesiredResource;
import io.devbox.agent.engine.Layer;
import io.devbox.agent.engine.Presence;
import io.devbox.agent.profile.Origin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code file[/etc/X11/xorg.conf.d/20-gpu.conf]}: what the profiles manage in one file. Either the whole
 * {@code content}, or named {@code blocks} and {@code ini} keys inside a file whose other lines stay the user's; plus
 * optionally its mode, owner and group. In the {@link Presence.Absent absent} form (an entry that left the profiles)
 * {@code blocks} and {@code ini} name what the agent wrote there, with null values, and the applied state says whether
 * the agent created the file or wrote it whole.
 *
 * @param path          the box path, absolute, variables expanded
 * @param content       the whole file as the profile gives it, or null when the file is only partly managed
 * @param commentPrefix what starts the marker lines of blocks ({@code #} by default); null in the absent form (any)
 * @param mode          four octal digits ({@code 0644}), or null to keep the file's (0644 for a new file)
 */
public record FileResource(String path, String content, Map<String, String> blocks, String commentPrefix,
                           Map<String, String> ini, String mode, String owner, String group, Presence presence,
                           Origin origin) implements DesiredResource {
    static final Pattern BLOCK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public FileResource {
        blocks = Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
        ini = Collections.unmodifiableMap(new LinkedHashMap<>(ini));
    }

    @Override
    public String id() {
        return "file[" + path + "]";
    }

    boolean whole() {
        return content != null;
    }

    /** In the absent form: how plans showed the whole content the agent last wrote, or null. */
    String writtenContent() {
        return presence instanceof Presence.Absent a ? a.applied(FileOp.CONTENT, Layer.PERSISTED) : null;
    }

    /** In the absent form: whether the agent created the file. */
    boolean created() {
        return presence instanceof Presence.Absent a && a.applied(FileOp.FILE, Layer.PERSISTED) != null;
    }
}
